# Install rules and the .deb (included from CMakeLists.txt).
#
# Layout (FHS; PREFIX=/usr for the .deb, /usr/local for a hand install):
#   PREFIX/libexec/userdesk/userdesk-<name>   the responders: FastCGI programs that need a socket on
#                                             fd 0, run by systemd, not by people, so off PATH;
#                                             each a link to userdesk-responder there
#   PREFIX/bin/mini-okta                      the local identity server, a command people run
#   PREFIX/bin/userdesk-admin                 the sysadmin's command (docs/operations.md)
#   PREFIX/share/userdesk/{templates,static}  read-only data
#   PREFIX/share/doc/userdesk/                deploy.md, README.md
#   SYSCONFDIR/userdesk/userdesk.env.example  mode 0640 (SYSCONFDIR is /etc for PREFIX=/usr)
#   SYSCONFDIR/nginx/sites-available/userdesk the nginx site, routes filled in
#   <unit dir>/userdesk@.service, userdesk@.socket, userdesk.target
#
# The responders are the built ones of USERDESK_RESPONDERS; the nginx routes come from
# nginx/routes.txt for those responders, and userdesk.target wants each of them.
#
# The unit files and the nginx site name absolute paths, so PREFIX is fixed at configure time
# (-DCMAKE_INSTALL_PREFIX=..., as `make install` and `make deb` do); `cmake --install --prefix`
# with another prefix is refused. Templates: configure with
# -DUSERDESK_DEFAULT_TEMPLATES=PREFIX/share/userdesk/templates so the installed binaries find
# them without USERDESK_TEMPLATES (make install / make deb do; a dev build points at the checkout).

include(GNUInstallDirs)
# `make install`/cpack must not rebuild the whole tree (tests included): the Makefile's install
# and deb targets build what is installed, the `runtime` target.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(USERDESK_DEPLOY_DIR ${CMAKE_BINARY_DIR}/deploy)
file(MAKE_DIRECTORY ${USERDESK_DEPLOY_DIR})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/nginx/routes.txt ${CMAKE_SOURCE_DIR}/nginx/userdesk.conf
             ${CMAKE_SOURCE_DIR}/systemd/userdesk@.service
             ${CMAKE_SOURCE_DIR}/systemd/userdesk@.socket
             ${CMAKE_SOURCE_DIR}/systemd/userdesk.target.in)

if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(_unit_dir_default /lib/systemd/system)  # Debian 12's place for packaged units
else()
  set(_unit_dir_default ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)  # in systemd's search path
endif()
set(USERDESK_SYSTEMD_UNIT_DIR ${_unit_dir_default} CACHE PATH "Where the systemd units go")
set(USERDESK_LIBEXEC_DIR ${CMAKE_INSTALL_FULL_LIBEXECDIR}/userdesk)
set(USERDESK_SHARE_DIR ${CMAKE_INSTALL_FULL_DATADIR}/userdesk)
set(USERDESK_CONF_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/userdesk)
set(USERDESK_NGINX_SITE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/nginx/sites-available/userdesk)

if(NOT USERDESK_DEFAULT_TEMPLATES STREQUAL "${USERDESK_SHARE_DIR}/templates")
  message(STATUS "userdesk: installed responders would look for templates in "
                 "${USERDESK_DEFAULT_TEMPLATES}; `make install` and `make deb` configure "
                 "-DUSERDESK_DEFAULT_TEMPLATES=${USERDESK_SHARE_DIR}/templates")
endif()

# ---- the built responders -------------------------------------------------------------------
# userdesk-responder, and beside it a link named after each responder, which runs it as that one
# (src/responders/responders.h)
set(USERDESK_INSTALLED_RESPONDERS ${USERDESK_RESPONDERS})
install(TARGETS userdesk-responder RUNTIME DESTINATION ${USERDESK_LIBEXEC_DIR})
foreach(name IN LISTS USERDESK_RESPONDERS)
  install(CODE "
    message(STATUS \"Installing: \$ENV{DESTDIR}${USERDESK_LIBEXEC_DIR}/userdesk-${name} -> userdesk-responder\")
    file(CREATE_LINK userdesk-responder \"\$ENV{DESTDIR}${USERDESK_LIBEXEC_DIR}/userdesk-${name}\" SYMBOLIC)")
endforeach()
if(TARGET mini-okta)
  install(TARGETS mini-okta RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET userdesk-admin)
  install(TARGETS userdesk-admin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# ---- nginx site: upstreams and locations from nginx/routes.txt ------------------------------
# Each upstream caches up to USERDESK_NGINX_KEEPALIVE idle FastCGI connections per nginx worker
# (the site sets fastcgi_keep_conn on). An idle one holds no responder thread (fcgi_server.h),
# only a descriptor at each end.
set(USERDESK_NGINX_KEEPALIVE 32)
set(_upstreams "")
set(_locations "")
set(_ops_locations "")
foreach(name IN LISTS USERDESK_INSTALLED_RESPONDERS)
  string(APPEND _upstreams "upstream userdesk_${name} {\n  server unix:/run/userdesk/${name}.sock;\n"
                           "  keepalive ${USERDESK_NGINX_KEEPALIVE};\n}\n")
  # the operator's endpoints (app/ops_endpoints.h), inside the site's allow-listed /-/ location
  foreach(kind IN ITEMS health ready metrics)
    string(APPEND _ops_locations "    location = /-/${kind}/${name} {\n"
                                 "      fastcgi_pass userdesk_${name};\n    }\n")
  endforeach()
endforeach()
file(STRINGS ${CMAKE_SOURCE_DIR}/nginx/routes.txt _route_lines)
foreach(line IN LISTS _route_lines)
  string(REGEX REPLACE "#.*" "" line "${line}")
  string(STRIP "${line}" line)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^([a-z0-9_-]+)[ \t]+(.+)$")
    message(FATAL_ERROR "nginx/routes.txt: cannot read the line '${line}'")
  endif()
  set(_name ${CMAKE_MATCH_1})
  set(_match ${CMAKE_MATCH_2})
  # Routes of responders not built yet are left out: their paths reach home's catch-all (404).
  if(_name IN_LIST USERDESK_INSTALLED_RESPONDERS)
    string(APPEND _locations "  location ${_match} {\n    fastcgi_pass userdesk_${_name};\n  }\n")
  endif()
endforeach()
if(NOT "home" IN_LIST USERDESK_INSTALLED_RESPONDERS)
  message(WARNING "userdesk: the home responder (the catch-all and 404 page) is not built")
endif()

# Source files name the PREFIX=/usr paths; another prefix gets its own.
function(userdesk_localize text_var)
  set(t "${${text_var}}")
  string(REPLACE "/usr/libexec/userdesk/" "${USERDESK_LIBEXEC_DIR}/" t "${t}")
  string(REPLACE "/usr/share/doc/userdesk/" "${CMAKE_INSTALL_FULL_DOCDIR}/" t "${t}")
  string(REPLACE "/usr/share/userdesk/" "${USERDESK_SHARE_DIR}/" t "${t}")
  string(REPLACE "/etc/userdesk/" "${USERDESK_CONF_DIR}/" t "${t}")
  set(${text_var} "${t}" PARENT_SCOPE)
endfunction()

file(READ ${CMAKE_SOURCE_DIR}/nginx/userdesk.conf _site)
string(REGEX REPLACE "# @USERDESK_UPSTREAMS@[^\n]*\n" "${_upstreams}" _site "${_site}")
string(REGEX REPLACE "  # @USERDESK_LOCATIONS@[^\n]*\n" "${_locations}" _site "${_site}")
string(REGEX REPLACE "    # @USERDESK_OPS_LOCATIONS@[^\n]*\n" "${_ops_locations}" _site "${_site}")
userdesk_localize(_site)
file(WRITE ${USERDESK_DEPLOY_DIR}/userdesk.nginx "${_site}")

# ---- systemd units --------------------------------------------------------------------------
set(_wants "")
foreach(name IN LISTS USERDESK_INSTALLED_RESPONDERS)
  string(APPEND _wants "Wants=userdesk@${name}.socket userdesk@${name}.service\n")
endforeach()
file(READ ${CMAKE_SOURCE_DIR}/systemd/userdesk.target.in _target)
string(REPLACE "@USERDESK_WANTS@\n" "${_wants}" _target "${_target}")
userdesk_localize(_target)
file(WRITE ${USERDESK_DEPLOY_DIR}/userdesk.target "${_target}")
foreach(unit IN ITEMS userdesk@.service userdesk@.socket)
  file(READ ${CMAKE_SOURCE_DIR}/systemd/${unit} _unit)
  userdesk_localize(_unit)
  file(WRITE ${USERDESK_DEPLOY_DIR}/${unit} "${_unit}")
endforeach()
file(READ ${CMAKE_SOURCE_DIR}/systemd/userdesk.env.example _env)
userdesk_localize(_env)
file(WRITE ${USERDESK_DEPLOY_DIR}/userdesk.env.example "${_env}")

# ---- install rules --------------------------------------------------------------------------
install(CODE "
  if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"${CMAKE_INSTALL_PREFIX}\")
    message(FATAL_ERROR \"userdesk: configured for ${CMAKE_INSTALL_PREFIX}, asked to install into \"
      \"\${CMAKE_INSTALL_PREFIX}; the units and nginx site name absolute paths, so configure with \"
      \"-DCMAKE_INSTALL_PREFIX=\${CMAKE_INSTALL_PREFIX} instead (make install PREFIX=... does)\")
  endif()")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/ DESTINATION ${USERDESK_SHARE_DIR}/templates)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/static/ DESTINATION ${USERDESK_SHARE_DIR}/static)
# Debian wants a copyright file and a gzipped changelog in every package's doc dir.
file(WRITE ${USERDESK_DEPLOY_DIR}/changelog "\
userdesk (${PROJECT_VERSION}) unstable; urgency=medium

  * Built from the userdesk checkout; see its git log for the changes.

 -- userdesk maintainers <userdesk@example.com>  Thu, 26 Nov 2026 00:00:00 +0000
")
execute_process(COMMAND gzip -9nf ${USERDESK_DEPLOY_DIR}/changelog)
install(FILES ${CMAKE_SOURCE_DIR}/docs/deploy.md ${CMAKE_SOURCE_DIR}/README.md
              ${CMAKE_SOURCE_DIR}/cmake/deb/copyright ${USERDESK_DEPLOY_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${USERDESK_DEPLOY_DIR}/userdesk.env.example DESTINATION ${USERDESK_CONF_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${USERDESK_DEPLOY_DIR}/userdesk.nginx
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/nginx/sites-available RENAME userdesk)
install(FILES ${USERDESK_DEPLOY_DIR}/userdesk@.service ${USERDESK_DEPLOY_DIR}/userdesk@.socket
              ${USERDESK_DEPLOY_DIR}/userdesk.target
        DESTINATION ${USERDESK_SYSTEMD_UNIT_DIR})

# What tests/deploy needs to find the installed files under a DESTDIR.
list(JOIN USERDESK_INSTALLED_RESPONDERS " " _responders_words)
file(WRITE ${USERDESK_DEPLOY_DIR}/layout.sh "\
# Generated by cmake/install.cmake: where `cmake --install` puts things (before any DESTDIR).
prefix='${CMAKE_INSTALL_PREFIX}'
libexec_dir='${USERDESK_LIBEXEC_DIR}'
share_dir='${USERDESK_SHARE_DIR}'
conf_dir='${USERDESK_CONF_DIR}'
nginx_site='${USERDESK_NGINX_SITE}'
unit_dir='${USERDESK_SYSTEMD_UNIT_DIR}'
bin_dir='${CMAKE_INSTALL_FULL_BINDIR}'
responders='${_responders_words}'
")

# ---- the .deb (make deb) --------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME userdesk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "userdesk maintainers <userdesk@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-service user accounts for Okta, as FastCGI responders")
set(CPACK_PACKAGE_DESCRIPTION "userdesk lets people sign in with OpenID Connect, see and edit \
their profile, register and reset their password, against an Okta org. It runs as small C++ \
FastCGI responders behind nginx, started by systemd socket units. Includes mini-okta, a local \
Okta-compatible identity server for trying it out.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# shared-library dependencies (libfcgi, libcurl, libssl, ...) from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, nginx (>= 1.22), systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ssl-cert")
# The nginx site and the example env file are the sysadmin's to edit: dpkg keeps their edits.
file(WRITE ${USERDESK_DEPLOY_DIR}/deb/conffiles "\
${USERDESK_NGINX_SITE}
${USERDESK_CONF_DIR}/userdesk.env.example
")
foreach(script IN ITEMS postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/cmake/deb/${script} ${USERDESK_DEPLOY_DIR}/deb/${script}
                 COPYONLY)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${USERDESK_DEPLOY_DIR}/deb/conffiles ${USERDESK_DEPLOY_DIR}/deb/postinst
    ${USERDESK_DEPLOY_DIR}/deb/prerm ${USERDESK_DEPLOY_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
