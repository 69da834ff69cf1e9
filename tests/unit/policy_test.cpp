// The policy engine's secret detectors (compiler/policy/secrets.h; the corpus and issue 13's cases
// are in secrets_test.cpp) and the rule table: the false positives that matter, and every rule
// registered once with an explanation.
#include "compiler/policy/policy.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "compiler/policy/secrets.h"

using namespace platc;
using namespace platc::policy::secrets;

TEST_CASE("secret keywords in names") {
  for (const char* k : {"DB_PASSWORD", "password", "apiKey", "API_KEY", "client-secret", "REDDIT_CLIENT_SECRET",
                        "AUTH_TOKEN", "githubPat", "private_key", "AWS_SECRET_ACCESS_KEY", "passwd", "credentials"})
    CHECK_MESSAGE(secret_keyword(k), k);
  for (const char* k : {"TOKEN_TTL", "PASSWORD_FILE", "SECRET_NAME", "token_url", "API_KEY_HEADER", "key", "LOG_LEVEL",
                        "DATABASE_URL", "PASSWORD_MIN_LENGTH", "keyboard", "tokenizer", "SECRET_ID"})
    CHECK_MESSAGE(!secret_keyword(k), k);
}

TEST_CASE("plausible secret values") {
  CHECK(plausible_secret_value("hunter2"));
  CHECK(plausible_secret_value("correct horse battery staple"));
  for (const char* v : {"", "30s", "3600", "1.5", "true", "/run/secrets/db", "https://auth.example.com/token",
                        "changeme", "Passwords must be rotated every 90 days.", "${DB_PASSWORD}", "shop/db-password"})
    CHECK_MESSAGE(!plausible_secret_value(v), v);
}

TEST_CASE("known credential formats") {
  CHECK(known_credential("AKIAQSLOJOLIE8NSB1IA") == "an AWS access key id");
  CHECK(known_credential("key=ASIAY34FZKBOKMUTVV7A;") == "an AWS access key id");
  CHECK(known_credential("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789") == "a GitHub token");
  CHECK(known_credential("xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp") == "a Slack token");
  CHECK(known_credential("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----") ==
        "a private key");
  CHECK(known_credential("postgres://app:s3cret@db:5432/app") == "a password in a connection URL");
  CHECK(known_credential(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U") ==
        "a JSON Web Token");
  CHECK(known_credential("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVND") ==
        "a private key (base64-encoded)");
  // Not credentials.
  for (const char* v : {"postgres://db.internal:5432/app", "https://user@example.com/x", "https://example.com/a:b@c",
                        "redis://:${cache.token}@host", "AKIAQSLOJOLIE8NSB1IAXX", "XAKIAQSLOJOLIE8NSB1IA",
                        "AKIAIOSFODNN7EXAMPLE", "-----BEGIN CERTIFICATE-----", "eyJkYXJrTW9kZSI6dHJ1ZX0"})
    CHECK_MESSAGE(!known_credential(v), v);
}

TEST_CASE("entropy: random tokens, not identifiers, digests or encoded text") {
  CHECK(high_entropy("q8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae"));
  CHECK(high_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  for (const char* v :
       {"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
        "9fceb02d0ae598e95dc970b74767f19372d61af8", "3f1a9c6e2b7d4a8f0e5c1b9d7a3e6f2c8b4d0a9e7c5f3b1d8a6e4c2f0b9d7a5e",
        "PaymentsGatewayServiceV2Blue",
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJJakFOQmdrcWhraUc5dzBCQVFFRkFBT0NBUThBTUlJQkNnS0NBUUVB", "short1A",
        "https://api.example.com/v2/prices?symbol=BTC"})
    CHECK_MESSAGE(!high_entropy(v), v);
}

TEST_CASE("the rule table: one row per P code, each with an explanation") {
  std::set<std::string> seen;
  for (const auto& r : policy::rules()) {
    std::string code(diag_info(r.kind).code);
    CHECK(code.starts_with("P"));
    CHECK(!code.starts_with("P00"));
    CHECK(seen.insert(code).second);
    CHECK_MESSAGE(!policy::explanation(code).empty(), code);
    CHECK(policy::find_rule(code) == &r);
  }
  for (const auto& k : all_diag_kinds())
    if (k.code.starts_with("P") && !k.code.starts_with("P00")) CHECK_MESSAGE(seen.count(std::string(k.code)), k.code);
}
