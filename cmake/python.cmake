# The Python package ort_lite: python/ort_lite/__init__.py around the pybind11 module
# _ort_lite (python/src/binding.cc, linked with ort_lite_static). Laid out in
# <build>/python/ort_lite so tests import it with PYTHONPATH=<build>/python; `pip install .`
# (pyproject.toml, scikit-build-core) builds the same target and installs component "python".
if(ORTL_SANITIZE)
  # An ASan-instrumented extension cannot be imported by an uninstrumented interpreter.
  message(STATUS "ort-lite: ORTL_SANITIZE is on, not building the Python module")
  return()
endif()
if(NOT DEFINED Python_EXECUTABLE)
  find_program(ORTL_PYTHON3 NAMES python3 python)  # the one on PATH, as the tests use it
  if(ORTL_PYTHON3)
    set(Python_EXECUTABLE ${ORTL_PYTHON3})
  endif()
endif()
find_package(Python 3.8 COMPONENTS Interpreter Development.Module QUIET)
if(Python_FOUND)
  # pybind11 from pip (a build requirement of pyproject.toml) if there is one, else the system's.
  execute_process(COMMAND ${Python_EXECUTABLE} -c "import pybind11; print(pybind11.get_cmake_dir())"
                  OUTPUT_VARIABLE ORTL_PYBIND11_DIR OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                  RESULT_VARIABLE ORTL_PYBIND11_RC)
  if(ORTL_PYBIND11_RC EQUAL 0)
    list(APPEND CMAKE_PREFIX_PATH ${ORTL_PYBIND11_DIR})
  endif()
  set(PYBIND11_FINDPYTHON ON)
  find_package(pybind11 CONFIG QUIET)
endif()
if(NOT Python_FOUND OR NOT pybind11_FOUND)
  message(STATUS "ort-lite: no Python development files or pybind11, not building the Python module")
  return()
endif()
message(STATUS "ort-lite: Python module for ${Python_EXECUTABLE} (pybind11 ${pybind11_VERSION})")

set(ORTL_PYTHON_DIR ${CMAKE_BINARY_DIR}/python)
# NO_EXTRAS: no LTO (it only slows the build here and warns about serial LTRANS jobs).
pybind11_add_module(_ort_lite MODULE NO_EXTRAS python/src/binding.cc)
target_link_libraries(_ort_lite PRIVATE ort_lite_static)
set_target_properties(_ort_lite PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ORTL_PYTHON_DIR}/ort_lite)
configure_file(python/ort_lite/__init__.py ${ORTL_PYTHON_DIR}/ort_lite/__init__.py COPYONLY)
install(TARGETS _ort_lite LIBRARY DESTINATION ort_lite COMPONENT python EXCLUDE_FROM_ALL)
