# cpack.cmake — `cpack -G DEB` in a build folder: one Debian package of everything installed
# (packaging/install.cmake), prefix /usr. Shared-library dependencies come from dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME feverbench)
set(CPACK_PACKAGE_VENDOR "feverbench")
set(CPACK_PACKAGE_CONTACT "feverbench maintainers <feverbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "hardware-in-the-loop test bench for thermal fever-screening cameras")
set(CPACK_PACKAGE_DESCRIPTION
  "Simulates people walking toward a thermal camera, renders radiometric frames, feeds them to
camera firmware (in process, a program, a serial port, QEMU) and scores what it reports.
Includes the vendor SDK: fbfw.h, the link protocol codec libfbp with pkg-config and CMake
package files.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)       # libc6, libcjson1, libxxhash0, libpng16-16, SDL2 ...
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON) # a shlibs file for libfbp.so.1
set(FB_DEB_DEPENDS "")
if(FB_UI)
  set(FB_DEB_DEPENDS "fonts-dejavu-core") # the viewer's fonts (ui/viewer.c: DejaVu)
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${FB_DEB_DEPENDS}")
# qemu-user runs ARM Linux firmware (exec:qemu-arm ...), qemu-system-arm the qemu-mcu: DUTs;
# pkg-config and a C compiler build firmware against the SDK.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qemu-user, qemu-system-arm")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "pkg-config, gcc | c-compiler, cmake")
# cpack packages what is built and does not build first (make package does): building the tree
# again would re-run the cross builds (ExternalProject, BUILD_ALWAYS) under a running test suite.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
