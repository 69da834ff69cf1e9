// The secret detectors behind P0101-P0103, as pure functions over text so that the unit tests
// can feed them the false positives that matter (UUIDs, digests, URLs, base64 config, TTLs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace platc::policy::secrets {

// A key that names a secret: DB_PASSWORD, apiKey, client-secret, REDDIT_CLIENT_SECRET.
// Not: TOKEN_TTL, PASSWORD_FILE, SECRET_NAME, token_url (a word after the keyword that says the
// value is about the secret, not the secret itself).
bool secret_keyword(std::string_view key);

// Whether a literal under a secret keyword could be the secret: not empty, not a number,
// duration or boolean, not a path or a URL without credentials.
bool plausible_secret_value(std::string_view value);

// A known credential format inside the text, described for a message ("an AWS access key id"),
// or nothing. Base64 text that decodes to readable text is decoded and searched as well.
std::optional<std::string> known_credential(std::string_view text);

// A random-looking token: no whitespace, 20+ characters of the base64 alphabets, upper and
// lower case letters and digits, high Shannon entropy for its length, not hexadecimal (digests
// and commit ids), not a UUID, not base64 of readable text.
bool high_entropy(std::string_view text);

double shannon_entropy(std::string_view text);

}  // namespace platc::policy::secrets
