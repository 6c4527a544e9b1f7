# Embedding tests (issue 5), labelled "embed":
#   embed.c_example        examples/c/example.c, built as C99 against the shared library
#   embed.c_example_asan   the same example under AddressSanitizer + LeakSanitizer
#   embed.symbols          libort_lite.so exports the public API and nothing else
#   embed.install_consumer `cmake --install`, then tests/consumer built against the installed
#                          package (shared and static) and the C example through pkg-config
#   embed.python_api       tests/python_api (pytest) against onnxruntime, on the built module
#   embed.python_example   examples/python/example.py
#   embed.docs             the excerpts in docs/embedding.md still match the files they quote
# The C API misuse tests are tests/c_api (a GoogleTest binary, like every folder here).
set(ORTL_EXAMPLE_MODEL ${PROJECT_SOURCE_DIR}/examples/srcnn.onnx)
set(ORTL_EXAMPLE_ARGS N=1 H=8 W=8)
set(ORTL_EMBED_WORK ${CMAKE_CURRENT_BINARY_DIR}/embed)

add_executable(ortl_example_c ${PROJECT_SOURCE_DIR}/examples/c/example.c)
target_link_libraries(ortl_example_c PRIVATE ort_lite)
set_target_properties(ortl_example_c PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(ortl_example_c PRIVATE -pedantic -Werror)  # the header must stay plain C99

add_test(NAME embed.c_example COMMAND ortl_example_c ${ORTL_EXAMPLE_MODEL} ${ORTL_EXAMPLE_ARGS})
add_test(NAME embed.c_example_asan
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/embed/c_example_asan.sh ${CMAKE_C_COMPILER} $<TARGET_FILE:ort_lite>
                 ${PROJECT_SOURCE_DIR} ${ORTL_EMBED_WORK}/asan ${ORTL_EXAMPLE_MODEL} ${ORTL_EXAMPLE_ARGS})
set_tests_properties(embed.c_example embed.c_example_asan PROPERTIES PASS_REGULAR_EXPRESSION "both runs agree")

add_test(NAME embed.symbols
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/embed/check_symbols.sh $<TARGET_FILE:ort_lite>
                 ${PROJECT_SOURCE_DIR}/include/ort_lite/ort_lite.h)

# A sanitized library needs its runtime linked into the programs that load it.
set(ORTL_CONSUMER_FLAGS "")
if(ORTL_SANITIZE)
  set(ORTL_CONSUMER_FLAGS "-fsanitize=address,undefined")
endif()
add_test(NAME embed.install_consumer
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/embed/install_consumer.sh ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
                 ${PROJECT_SOURCE_DIR} ${ORTL_EMBED_WORK}/consumer ${ORTL_EXAMPLE_MODEL} ${CMAKE_C_COMPILER}
                 ${CMAKE_CXX_COMPILER} "${ORTL_CONSUMER_FLAGS}")
set_tests_properties(embed.install_consumer PROPERTIES TIMEOUT 600)

if(TARGET _ort_lite)
  add_test(NAME embed.python_api COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider
                                         ${CMAKE_CURRENT_SOURCE_DIR}/python_api)
  add_test(NAME embed.python_example COMMAND ${Python_EXECUTABLE} ${PROJECT_SOURCE_DIR}/examples/python/example.py)
  set_tests_properties(embed.python_api embed.python_example PROPERTIES
                       ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python;ORTL_PYTHON_DIR=${PROJECT_BINARY_DIR}/python")
endif()

if(Python_EXECUTABLE)
  set(ORTL_EMBED_PYTHON ${Python_EXECUTABLE})
else()
  set(ORTL_EMBED_PYTHON python3)
endif()
add_test(NAME embed.docs COMMAND ${ORTL_EMBED_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/embed/check_docs.py ${PROJECT_SOURCE_DIR})

get_property(ORTL_EMBED_TESTS DIRECTORY PROPERTY TESTS)
foreach(t IN LISTS ORTL_EMBED_TESTS)
  if(t MATCHES "^embed\\.")
    set_tests_properties(${t} PROPERTIES LABELS embed)
  endif()
endforeach()
