# The libraries built from ortl_objects, and what `cmake --install` puts where.
#
#   ort_lite         libort_lite.so: the public C and C++ API only (ORTL_API + cmake/ort_lite.map)
#   ort_lite_static  libort_lite.a: the same objects; users also link protobuf-lite and threads
#   ortl_core        internal: the static library plus the internal headers, for the CLI, tests
#                    and benchmarks, which reach below the public API
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ORTL_PUBLIC_INCLUDE $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
                        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set(ORTL_CUDA_DEPS)
if(ORTL_WITH_CUDA AND CUDAToolkit_FOUND)
  set(ORTL_CUDA_DEPS CUDA::cudart CUDA::cublas)
endif()

add_library(ort_lite_static STATIC $<TARGET_OBJECTS:ortl_objects>)
set_target_properties(ort_lite_static PROPERTIES OUTPUT_NAME ort_lite EXPORT_NAME ort_lite_static)
target_include_directories(ort_lite_static PUBLIC ${ORTL_PUBLIC_INCLUDE})
target_compile_definitions(ort_lite_static INTERFACE ORTL_STATIC)
target_link_libraries(ort_lite_static PUBLIC protobuf::libprotobuf-lite Threads::Threads ${ORTL_CUDA_DEPS})

add_library(ort_lite SHARED $<TARGET_OBJECTS:ortl_objects>)
target_include_directories(ort_lite PUBLIC ${ORTL_PUBLIC_INCLUDE})
target_link_libraries(ort_lite PRIVATE protobuf::libprotobuf-lite Threads::Threads ${ORTL_CUDA_DEPS})
# -fvisibility=hidden keeps our own code local; the version script also keeps local the
# template instantiations and library code (protobuf, libstdc++) that headers mark as default.
set(ORTL_MAP ${CMAKE_CURRENT_SOURCE_DIR}/cmake/ort_lite.map)
target_link_options(ort_lite PRIVATE -Wl,--version-script=${ORTL_MAP} -Wl,--no-undefined)
set_target_properties(ort_lite PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}  # 0.x: a minor release may break the ABI
  LINK_DEPENDS ${ORTL_MAP})
add_library(ort_lite::ort_lite ALIAS ort_lite)
add_library(ort_lite::ort_lite_static ALIAS ort_lite_static)

add_library(ortl_core INTERFACE)
target_link_libraries(ortl_core INTERFACE ort_lite_static ortl_internal)

# ---- install: headers, libraries, CMake package, pkg-config ---------------------------------
install(DIRECTORY include/ort_lite DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(TARGETS ort_lite ort_lite_static EXPORT ort_liteTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
set(ORTL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ort_lite)
install(EXPORT ort_liteTargets NAMESPACE ort_lite:: DESTINATION ${ORTL_CMAKE_DIR} COMPONENT dev)
set(ORTL_CONFIG_NEEDS_CUDA 0)
if(ORTL_CUDA_DEPS)
  set(ORTL_CONFIG_NEEDS_CUDA 1)
endif()
configure_package_config_file(cmake/ort_liteConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/ort_liteConfig.cmake
                              INSTALL_DESTINATION ${ORTL_CMAKE_DIR})
# 0.x: only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ort_liteConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ort_liteConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/ort_liteConfigVersion.cmake
        DESTINATION ${ORTL_CMAKE_DIR} COMPONENT dev)

set(ORTL_PC_LIBS_PRIVATE "-pthread")
if(ORTL_CUDA_DEPS)
  string(APPEND ORTL_PC_LIBS_PRIVATE " -L${CUDAToolkit_LIBRARY_DIR} -lcudart -lcublas")
endif()
# Relative to the .pc file, so the package can be installed under any --prefix.
file(RELATIVE_PATH ORTL_PC_UP /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" ORTL_PC_UP "${ORTL_PC_UP}")
configure_file(cmake/ort_lite.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ort_lite.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ort_lite.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
