// The secret detector behind P0101-P0103, as pure functions over text so that the unit tests
// can feed it the false positives that matter (UUIDs, digests, URLs, base64 config, TTLs,
// placeholders, prose) and a corpus of secrets in every place a user writes them.
//
// Four kinds of evidence, strongest first (docs/design-notes.md, "The secret detector"):
//   formats    a credential whose shape alone says what it is (AKIA…, ghp_…, PEM, JWT, a URL or
//              connection string with a password, an Authorization header): secret_formats.cpp,
//              secret_structure.cpp
//   names      a key that names a secret (DB_PASSWORD, --db-password, `password:` inside a
//              multi-line string) with a value that could be one: secret_keys.cpp, secret_values.cpp
//   entropy    a random-looking token: secret_values.cpp
//   not        placeholders, references, prose, settings about a secret: secret_values.cpp
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace platc::policy::secrets {

// ---- the detector -------------------------------------------------------------------------

// Where a string sits: a name alone says less in a tag (labels) than in an environment variable.
enum class Where { Value, Env, Argument, Tag, Annotation, Header };

struct Site {
  std::string_view key;   // what names the value: an env var, a map key, the attribute (`args`)
  std::string_view text;  // the literal
  Where where = Where::Value;
  std::string_view previous;      // in a command or args list, the item before (`--password`)
  std::string_view command_line;  // in a command or args list, every item (which tool runs)
};

enum class Signal {
  Format,   // P0103: the shape says it is a credential
  Name,     // P0101: a name says it is a secret, the value could be one
  Entropy,  // P0102: random-looking
};

struct Hit {
  Signal signal = Signal::Format;
  std::string what;                    // "an AWS access key id", "a password in a connection string", "a password"
  std::string name;                    // Signal::Name: the name that says so (`DB_PASSWORD`, `--db-password`)
  std::size_t offset = 0, length = 0;  // the secret inside Site::text, in bytes
};

// The strongest evidence of a secret in a string, or nothing. One value gets one finding.
std::optional<Hit> scan(const Site& site);

// ---- key names (secret_keys.cpp) ----------------------------------------------------------

enum class KeyKind {
  None,     // names nothing secret: LOG_LEVEL, keyboard, tokenizer, public_key, page_token
  About,    // a setting about a secret, not the secret: TOKEN_TTL, PASSWORD_FILE, max_tokens
  Example,  // documentation: EXAMPLE_API_KEY, sample_password, dummy_token
  Weak,     // may name a secret, the value must look like one: key, auth, salt, STRIPE_KEY
  Strong,   // names a secret: DB_PASSWORD, db_pass, pwd, apiKey, client-secret, AccountKey
};

struct KeyMeaning {
  KeyKind kind = KeyKind::None;
  std::string noun;  // for messages: "password", "token", "API key", "account key", "secret"
};

// DB_PASSWORD → [db, password]; apiKey → [api, key]; dbpass → [db, pass]; X-API-Key → [x, api, key].
std::vector<std::string> key_words(std::string_view key);
KeyMeaning key_meaning(std::string_view key);
// Strong names only (DB_PASSWORD, apiKey); kept for the callers that need a yes or no.
bool secret_keyword(std::string_view key);
// A key whose value identifies something (REQUEST_ID, GIT_COMMIT, CHECKSUM, SERVICE_NAME):
// random-looking values there are identifiers, not keys.
bool names_identifier(std::string_view key);

// ---- values (secret_values.cpp) -----------------------------------------------------------

// Stands in for a secret: changeme, <your-token>, ${DB_PASSWORD}, xxx, ***, REPLACE_ME, "example".
bool placeholder(std::string_view value);
// Points at a secret kept elsewhere: an ARN, a store path (shop/db-password), an env var's name.
bool reference(std::string_view value);
// A sentence for a person ("Passwords must be rotated every 90 days."), not a passphrase.
bool prose(std::string_view value);
// Whether a literal under a strong name could be the secret: not empty, a placeholder, a
// reference, prose, a number, duration, boolean, version, path or URL without credentials.
bool plausible_secret_value(std::string_view value);
// Whether a literal under a weak name looks like a credential rather than a word or identifier:
// `hunter2`, `admin:s3cret`, `q8Zr3…`, not `token-service` or `orders.created`.
bool credential_like(std::string_view value);
// Made of words (token-service, PaymentsGatewayServiceV2Blue, orders.created), not random.
bool wordy(std::string_view value);

// A random-looking token: no whitespace, 20+ characters of the base64 alphabets, upper and
// lower case letters and digits, high Shannon entropy for its length, not hexadecimal (digests
// and commit ids), not a UUID, not words, not base64 of readable text.
bool high_entropy(std::string_view text);
double shannon_entropy(std::string_view text);

// ---- formats (secret_formats.cpp) ---------------------------------------------------------

struct FormatMatch {
  std::string what;
  std::size_t offset = 0, length = 0;
  bool placeholder = false;  // the shape of a credential with a stand-in body (AKIA…EXAMPLE, xxxx)
  bool provider = false;     // a provider's own prefix (ghp_, AKIA, PEM): stands even under EXAMPLE_ keys
};

// Every credential format in the text, in order of position.
std::vector<FormatMatch> find_formats(std::string_view text);
// The first real (not placeholder) credential format in the text, described for a message,
// or nothing. Base64 text that decodes to readable text is decoded and searched as well.
std::optional<std::string> known_credential(std::string_view text);

}  // namespace platc::policy::secrets
