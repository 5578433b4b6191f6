#ifndef VIAL_WEB_HPP
#define VIAL_WEB_HPP

/// @file
/// HTML apps as Flask builds them: static files, signed cookie sessions, flash messages,
/// CSRF protection, guards (view decorators) and password hashing. Not part of
/// `<vial/vial.hpp>`; link `vial::web` (it brings OpenSSL's libcrypto).

#include <vial/web/crypto.hpp>
#include <vial/web/csrf.hpp>
#include <vial/web/guard.hpp>
#include <vial/web/secret_keys.hpp>
#include <vial/web/session.hpp>
#include <vial/web/session_codec.hpp>
#include <vial/web/static_files.hpp>
#include <vial/web/template_globals.hpp>

#endif  // VIAL_WEB_HPP
