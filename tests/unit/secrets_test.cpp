// The secret detector (compiler/policy/secrets.h): its score on the corpus of secrets_corpus.h,
// one test per miss and false positive of issue 13 (defect 11), and the parts on their own
// (key names, values, formats, structure).
#include "compiler/policy/secrets.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/unit/secrets_corpus.h"

using namespace platc::policy::secrets;
using platc::testing::secrets_corpus::Expect;
using platc::testing::secrets_corpus::kCases;

namespace {

std::optional<Hit> at(std::string_view key, std::string_view text, Where where = Where::Env,
                      std::string_view previous = "", std::string_view command_line = "") {
  return scan({key, text, where, previous, command_line});
}

// The part of `text` a hit points at.
std::string pointed(std::string_view text, const std::optional<Hit>& h) {
  return h ? std::string(text.substr(h->offset, h->length)) : "<nothing>";
}

const char* name(Expect e) {
  switch (e) {
    case Expect::Format:
      return "P0103 (format)";
    case Expect::Name:
      return "P0101 (name)";
    case Expect::Entropy:
      return "P0102 (entropy)";
    case Expect::Nothing:
      return "nothing";
  }
  return "";
}

Expect verdict(const std::optional<Hit>& h) {
  if (!h) return Expect::Nothing;
  switch (h->signal) {
    case Signal::Format:
      return Expect::Format;
    case Signal::Name:
      return Expect::Name;
    case Signal::Entropy:
      return Expect::Entropy;
  }
  return Expect::Nothing;
}

}  // namespace

TEST_CASE("the corpus: 100% precision and recall, each secret by the evidence expected") {
  std::size_t secrets = 0, lookalikes = 0, found = 0, false_alarms = 0;
  for (const auto& c : kCases) {
    auto h = at(c.key, c.text, c.where, c.previous, c.command_line);
    Expect got = verdict(h);
    bool secret = c.expect != Expect::Nothing;
    (secret ? secrets : lookalikes)++;
    if (secret && got != Expect::Nothing) ++found;
    if (!secret && got != Expect::Nothing) ++false_alarms;
    std::string why = std::string(c.why) + ": `" + c.key + "` = `" + c.text + "` expected " + name(c.expect) +
                      ", got " + name(got) + (h ? " (" + h->what + ", at `" + pointed(c.text, h) + "`)" : "");
    CHECK_MESSAGE(got == c.expect, why);
  }
  double recall = secrets ? double(found) / double(secrets) : 0;
  double precision = found + false_alarms ? double(found) / double(found + false_alarms) : 0;
  MESSAGE("secret corpus: ", secrets, " secrets, ", lookalikes, " look-alikes; recall ", recall * 100, "%, precision ",
          precision * 100, "%");
  CHECK(secrets >= 50);
  CHECK(lookalikes >= 50);
  CHECK(found == secrets);
  CHECK(false_alarms == 0);
}

// ---- issue 13, defect 11: the misses ---------------------------------------------------------

TEST_CASE("issue 13: an Azure storage connection string's AccountKey") {
  std::string text =
      "DefaultEndpointsProtocol=https;AccountName=shopdev;AccountKey=UPvzBLZg84sDvGXGCA5LxHdXsp5ZLuv0;"
      "EndpointSuffix=core.windows.net";
  auto h = at("STORAGE_CONNECTION", text);
  REQUIRE(h);
  CHECK(h->signal == Signal::Format);
  CHECK(h->what == "an account key in a connection string");
  CHECK(pointed(text, h) == "UPvzBLZg84sDvGXGCA5LxHdXsp5ZLuv0");
  // A real account key is 64 random bytes: its shape alone is a format.
  std::string key = "nsbiXP8Xd45YaSBJlcBQYFCCgWG6/q4YdUmmx6Ca6XCukdlwPf/Z1wGZ0J8DLZsQRrIp+r4nIyuuxRUNNQxl8g==";
  CHECK(at("BLOB", "AccountName=a;AccountKey=" + key)->what == "an Azure storage account key");
  CHECK(at("PRIMARY", key)->what == "an Azure storage account key");
}

TEST_CASE("issue 13: passwords passed as command-line arguments") {
  auto h = at("args", "--db-password=hunter2", Where::Argument);
  REQUIRE(h);
  CHECK(h->signal == Signal::Name);
  CHECK(h->name == "--db-password");
  CHECK(h->what == "a password");
  CHECK(pointed("--db-password=hunter2", h) == "hunter2");
  // The flag, then its value as the next item of the list.
  h = at("args", "hunter2", Where::Argument, "--db-password", "--db-password hunter2");
  REQUIRE(h);
  CHECK(h->name == "--db-password");
  // Tools whose password option is a letter.
  CHECK(at("command", "mysql -uroot -phunter2 shop", Where::Argument)->name == "-p");
  CHECK(pointed("mysql -uroot -phunter2 shop", at("command", "mysql -uroot -phunter2 shop", Where::Argument)) ==
        "hunter2");
  CHECK(at("args", "s3cr3tRedis", Where::Argument, "-a", "redis-cli -a s3cr3tRedis")->name == "-a");
  // Not passwords: a port, a file, a TTL.
  CHECK(!at("args", "8080", Where::Argument, "-p", "app -p 8080"));
  CHECK(!at("args", "--password-file=/run/secrets/db", Where::Argument));
  CHECK(!at("args", "3600", Where::Argument, "--token-ttl", "app --token-ttl 3600"));
}

TEST_CASE("issue 13: secrets inside multi-line config strings") {
  std::string yaml = "database:\n  host: db.internal\n  password: s3cr3t-Pa55\n";
  auto h = at("CONFIG", yaml);
  REQUIRE(h);
  CHECK(h->signal == Signal::Name);
  CHECK(h->name == "password");
  CHECK(pointed(yaml, h) == "s3cr3t-Pa55");
  CHECK(at("DOTENV", "LOG_LEVEL=info\nDB_PASS=hunter2\n")->name == "DB_PASS");
  CHECK(at("CONF", "port 6379\nrequirepass s3cr3tRedis\n")->name == "requirepass");
  CHECK(at("CONF", "[smtp]\npassword = Zq8!mN3x\n")->name == "password");
  CHECK(!at("CONFIG", "database:\n  host: db.internal\n  password: ${DB_PASSWORD}\n"));
}

TEST_CASE("issue 13: abbreviated key names") {
  for (const char* k : {"db_pass", "DB_PASS", "pwd", "PWD", "db_pwd", "passwd", "DB_PW", "rootPw", "dbpass", "adminpwd",
                        "dbPassword", "DBPassword", "smtp-pass", "apikey", "APIKEY", "x-api-key", "creds"})
    CHECK_MESSAGE(key_meaning(k).kind == KeyKind::Strong, std::string(k));
  CHECK(at("db_pass", "Tr0ub4dor&3")->name == "db_pass");
  CHECK(at("pwd", "S3cure!pass")->what == "a password");
  // PWD is also the shell's working directory: a path is not a password.
  CHECK(!at("PWD", "/app"));
}

TEST_CASE("issue 13: Authorization header values, Bearer and Basic") {
  std::string bearer = "Bearer IQk6G2Vy3ExvC37cSMCgZZLRheRc383tLWLYy2gd";
  auto h = at("Authorization", bearer, Where::Header);
  REQUIRE(h);
  CHECK(h->signal == Signal::Format);
  CHECK(h->what == "a bearer token in an Authorization header");
  CHECK(pointed(bearer, h) == "IQk6G2Vy3ExvC37cSMCgZZLRheRc383tLWLYy2gd");
  h = at("Authorization", "Basic YWRtaW46WnE4bU4zeEsxdw==", Where::Header);
  REQUIRE(h);
  CHECK(h->what == "basic-auth credentials (base64 of user:password) in an Authorization header");
  std::string curl = "curl -H \"Authorization: Bearer RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn\" https://api.internal";
  CHECK(pointed(curl, at("command", curl, Where::Argument)) == "RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn");
  CHECK(!at("Authorization", "Bearer ${API_TOKEN}", Where::Header));
  CHECK(!at("Authorization", "Bearer <token>", Where::Header));
  CHECK(!at("Authorization", "Basic dXNlcm5hbWU6cGFzc3dvcmQ=", Where::Header));  // username:password
}

// ---- issue 13, defect 11: the false positives ------------------------------------------------

TEST_CASE("issue 13: placeholders in keys named as examples") {
  for (const char* k : {"EXAMPLE_API_KEY", "SAMPLE_PASSWORD", "exampleToken", "DUMMY_SECRET", "placeholder_password"})
    CHECK_MESSAGE(key_meaning(k).kind == KeyKind::Example, std::string(k));
  CHECK(!at("EXAMPLE_API_KEY", "your-api-key-here"));
  CHECK(!at("SAMPLE_PASSWORD", "hunter2"));
  CHECK(!at("EXAMPLE_DATABASE_URL", "postgres://user:password@localhost:5432/app"));
  CHECK(!at("API_KEY_EXAMPLE", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"));
  // A provider's live token pasted into documentation is still live.
  CHECK(at("EXAMPLE_TOKEN", "ghp_JIH0EoQnsZcyGT6kVjqBR02nqBLpwXpLsBnP")->signal == Signal::Format);
}

TEST_CASE("issue 13: tag values that merely contain token") {
  CHECK(!at("team", "token-service", Where::Tag));
  CHECK(!at("purpose", "auth-token-rotation", Where::Tag));
  CHECK(!at("token-owner", "payments", Where::Tag));
  CHECK(!at("api-token", "enabled", Where::Tag));
  // A random value under a secret's name is still reported in a tag.
  CHECK(at("api-token", "Tb7NwK2pYs9Hd4Jf", Where::Tag)->signal == Signal::Name);
}

TEST_CASE("issue 13: prose sentences in keys that mention passwords") {
  CHECK(!at("password-policy", "Passwords must be at least 12 characters long.", Where::Annotation));
  CHECK(!at("PASSWORD", "Please ask the platform team for the password."));
  CHECK(!at("PASSWORD_HINT", "Use the name of your first pet"));
  CHECK(!at("description", "The token refresh job failed; check the password store.", Where::Value));
  // A passphrase is words too, but not a sentence.
  CHECK(at("SMTP_PASSWORD", "correct horse battery staple"));
}

// ---- the parts -------------------------------------------------------------------------------

TEST_CASE("key names: words, meanings, false friends") {
  CHECK(key_words("DBPassword") == std::vector<std::string>{"db", "password"});
  CHECK(key_words("X-API-Key") == std::vector<std::string>{"x", "api", "key"});
  CHECK(key_words("dbpass") == std::vector<std::string>{"db", "pass"});
  CHECK(key_words("spring.datasource.password") == std::vector<std::string>{"spring", "datasource", "password"});
  CHECK(key_meaning("AccountKey").noun == "account key");
  CHECK(key_meaning("AWS_SECRET_ACCESS_KEY").noun == "secret access key");
  CHECK(key_meaning("SharedAccessSignature").noun == "shared access signature");
  for (const char* k : {"TOKEN_TTL", "PASSWORD_FILE", "SECRET_NAME", "token_url", "API_KEY_HEADER", "max_tokens",
                        "password_policy", "passphrase_hint", "PASSWORD_RESET_URL", "KEY_ID", "AWS_ACCESS_KEY_ID"})
    CHECK_MESSAGE(key_meaning(k).kind == KeyKind::About, std::string(k));
  for (const char* k : {"tokenizer", "keyboard", "monkey", "LOG_LEVEL", "public_key", "page_token", "CACHE_KEY",
                        "compass", "bypass", "passport", "passwordless", "secretary", "STRIPE_PUBLISHABLE_KEY"})
    CHECK_MESSAGE(key_meaning(k).kind == KeyKind::None, std::string(k));
  for (const char* k : {"key", "STRIPE_KEY", "auth", "Authorization", "salt", "sig", "api_keys"})
    CHECK_MESSAGE(key_meaning(k).kind == KeyKind::Weak, std::string(k));
  // The last secret noun decides.
  CHECK(key_meaning("PASSWORD_RESET_TOKEN").kind == KeyKind::Strong);
  CHECK(key_meaning("SECRET_KEY_BASE").kind == KeyKind::Strong);
}

TEST_CASE("values: placeholders, references, prose, words") {
  for (const char* v : {"changeme", "CHANGE_ME", "<your-token>", "${DB_PASSWORD}", "$TOKEN", "{{ .Values.token }}",
                        "xxx", "XXXXXXXX", "***", "REPLACE_ME", "your_api_key", "insert-token-here", "TODO",
                        "%API_KEY%", "[REDACTED]", "sk_live_<key>", "password", "my-secret-token"})
    CHECK_MESSAGE(placeholder(v), std::string(v));
  for (const char* v : {"hunter2", "Tr0ub4dor&3", "q8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae", "correct horse battery"})
    CHECK_MESSAGE(!placeholder(v), std::string(v));
  for (const char* v : {"arn:aws:secretsmanager:us-east-1:1:secret:x", "shop/db-password", "STRIPE_SECRET_KEY",
                        "projects/shop/secrets/db/versions/1", "op://vault/item/password"})
    CHECK_MESSAGE(reference(v), std::string(v));
  CHECK(!reference("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  CHECK(prose("Passwords must be rotated every 90 days."));
  CHECK(prose("Rotate the password"));
  CHECK(!prose("correct horse battery staple"));
  CHECK(wordy("token-service"));
  CHECK(wordy("PaymentsGatewayServiceV2Blue"));
  CHECK(!wordy("hunter2"));
  CHECK(!wordy("q8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae"));
  CHECK(credential_like("admin:Zq8mN3xK1w"));
  CHECK(!credential_like("db.internal:5432"));
  CHECK(!credential_like("oauth2"));
}

TEST_CASE("formats: placeholders are marked, not reported") {
  auto m = find_formats("AKIAIOSFODNN7EXAMPLE");
  REQUIRE(m.size() == 1);
  CHECK(m[0].placeholder);
  CHECK(!known_credential("AKIAIOSFODNN7EXAMPLE"));
  CHECK(!known_credential("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  CHECK(known_credential("pk_live_51NqXyZ2eZvKYlo2C0a1b2c3d") == std::nullopt);  // publishable
  CHECK(known_credential("AKIAQSLOJOLIE8NSB1IA") == "an AWS access key id");
}

TEST_CASE("hits point at the secret inside a longer string") {
  std::string url = "postgres://app:Xk9mP2vLq8@db.internal:5432/app";
  CHECK(pointed(url, at("DATABASE_URL", url)) == "Xk9mP2vLq8");
  std::string conn = "Server=db;User ID=app;Password=Xk9#mP2$vL;Encrypt=true";
  auto h = at("SQL", conn);
  CHECK(h->what == "a password in a connection string");
  CHECK(pointed(conn, h) == "Xk9#mP2$vL");
  // A whole value: the hit covers it, without surrounding blanks.
  CHECK(pointed("  hunter2 ", at("DB_PASSWORD", "  hunter2 ")) == "hunter2");
}
