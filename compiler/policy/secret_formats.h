// Shared by the format detectors: secret_formats.cpp (providers' tokens, tried in one pass over
// the text) and secret_blocks.cpp (structures: private keys, JWTs, URLs, webhooks). Each
// detector is tried at every position `i` of `s` and appends what starts there.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/policy/secrets.h"

namespace platc::policy::secrets {

// A stand-in where the random part should be: EXAMPLE, a run of one character, a mask.
bool placeholder_body(std::string_view body);
void add_match(std::vector<FormatMatch>& out, std::string_view what, std::size_t at, std::size_t len, bool ph,
               bool provider);

// Private keys: PEM blocks of any algorithm (also with JSON's `\n`), PuTTY key files, base64
// DER (PKCS#1, PKCS#8, EC, Ed25519) and base64 of a PEM block inside a longer text.
void private_key(std::string_view s, std::size_t i, std::vector<FormatMatch>& out);
// header.payload.signature, both JSON parts starting `{"` (eyJ).
void jwt(std::string_view s, std::size_t i, std::vector<FormatMatch>& out);
// scheme://user:password@host: the password.
void url_password(std::string_view s, std::size_t i, std::vector<FormatMatch>& out);
// user:password@host without a scheme (Go's MySQL DSN, bare git and pip credentials).
void bare_url_password(std::string_view s, std::size_t i, std::vector<FormatMatch>& out);
// Slack, Discord and Microsoft Teams webhook URLs.
void webhook(std::string_view s, std::size_t i, std::vector<FormatMatch>& out);

}  // namespace platc::policy::secrets
