# install.cmake — what `cmake --install` puts where (docs/install.md), and the SDK's package files.
#   bin/feverbench                                  the CLI (scenarios and cameras compiled in)
#   share/feverbench/scenarios/{*.json,cameras,schema}  the shipped files, to read and copy
#   share/feverbench/schema/{results,report}.schema.json   the output files' schemas (docs/outputs.md)
#   include/feverbench/{fbfw.h,fbp.h}               firmware API and link protocol codec headers
#   lib/libfbp.a, lib/libfbp.so.1                   the link protocol codec
#   lib/pkgconfig/feverbench-{fbfw,fbp}.pc          pkg-config
#   lib/cmake/feverbench/                           find_package(feverbench): feverbench::fbp ...
#   share/man/man1/feverbench.1, man5/feverbench-scenario.5, share/bash-completion/completions/
#   share/feverbench/{protocol-vectors,src}         test vectors, the codec's source for MCUs
#   share/doc/feverbench/                           docs/*.md, examples/
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The firmware API (fbfw.h) as a header-only target: feverbench::fbfw once installed.
add_library(fbfw_api INTERFACE)
target_include_directories(fbfw_api INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/firmware-under-test/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/feverbench>)
set_target_properties(fbfw_api PROPERTIES EXPORT_NAME fbfw)

set(FB_PKG_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/feverbench)
set(FB_PKG_DATADIR ${CMAKE_INSTALL_DATADIR}/feverbench)

install(TARGETS feverbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bench)
install(TARGETS fbp fbp_shared fbfw_api EXPORT feverbenchTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk NAMELINK_COMPONENT sdk
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/feverbench)
install(FILES ${PROJECT_SOURCE_DIR}/firmware-under-test/include/fbfw.h
              ${PROJECT_SOURCE_DIR}/proto/fbp.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/feverbench COMPONENT sdk)

# The shipped scenarios, camera profiles and JSON schemas, as in the source tree's scenarios/.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${FB_PKG_DATADIR}/scenarios
  COMPONENT bench FILES_MATCHING PATTERN "*.json")

# The JSON schemas of results.json and report.json (docs/outputs.md).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/schema/ DESTINATION ${FB_PKG_DATADIR}/schema
  COMPONENT bench FILES_MATCHING PATTERN "*.schema.json")

# pkg-config files, relocatable: prefix is found from the .pc file's own place (${pcfiledir}).
file(RELATIVE_PATH FB_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
foreach(pc feverbench-fbfw feverbench-fbp)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
    COMPONENT sdk)
endforeach()

# CMake package: find_package(feverbench) gives feverbench::fbp (shared), feverbench::fbp_static
# and feverbench::fbfw (header only).
install(EXPORT feverbenchTargets NAMESPACE feverbench:: DESTINATION ${FB_PKG_CMAKEDIR}
  COMPONENT sdk)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/feverbenchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/feverbenchConfig.cmake INSTALL_DESTINATION ${FB_PKG_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/feverbenchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/feverbenchConfig.cmake
              ${PROJECT_BINARY_DIR}/feverbenchConfigVersion.cmake
        DESTINATION ${FB_PKG_CMAKEDIR} COMPONENT sdk)

# Manual pages and bash completion.
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/feverbench.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT bench)
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/feverbench-scenario.5
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man5 COMPONENT bench)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/feverbench.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME feverbench
        COMPONENT bench)

# Documentation, the protocol's test vectors and the example DUT, for vendors.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT bench
  FILES_MATCHING PATTERN "*.md" PATTERN "*.png" PATTERN "man" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT bench)
install(FILES ${PROJECT_SOURCE_DIR}/proto/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT sdk RENAME protocol-codec.md)
# The codec's source, for firmware cross-compiled for an MCU (C11, libc's memcpy/memset only).
install(FILES ${PROJECT_SOURCE_DIR}/proto/fbp.c ${PROJECT_SOURCE_DIR}/proto/fbp.h
              ${PROJECT_SOURCE_DIR}/proto/fbp_crc_tables.h
        DESTINATION ${FB_PKG_DATADIR}/src COMPONENT sdk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/vectors/ DESTINATION ${FB_PKG_DATADIR}/protocol-vectors
  COMPONENT sdk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  COMPONENT sdk)
