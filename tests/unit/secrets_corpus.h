// A corpus for the secret detector (compiler/policy/secrets.h): secrets in every place a user
// writes them, and the look-alikes that must stay quiet. Every value is synthetic: random
// characters in the shape of a provider's format, never a real credential. secrets_test.cpp
// scores the detector on it (precision and recall, both required to be 100%).
//
// Adding a case: a secret the detector misses or a look-alike it reports goes here first, with
// the reason in `why`; then the detector is fixed until the corpus scores 100% again.
#pragma once

#include "compiler/policy/secrets.h"

namespace platc::testing::secrets_corpus {

using policy::secrets::Where;

enum class Expect {
  Format,   // P0103
  Name,     // P0101
  Entropy,  // P0102
  Nothing,  // a look-alike
};

struct Case {
  const char* key;
  const char* text;
  Where where;
  Expect expect;
  const char* why;
  const char* previous = "";      // the list item before, for command and args
  const char* command_line = "";  // every command and args item, for command and args
};

inline constexpr Case kCases[] = {
    // ---- provider formats (P0103), whatever the name ----------------------------------------
    {"AWS_ACCESS_KEY_ID", "AKIAQSLOJOLIE8NSB1IA", Where::Env, Expect::Format, "AWS access key id"},
    {"SESSION", "ASIARJFQ21IQWO591X1U", Where::Env, Expect::Format, "AWS temporary key id"},
    {"AWS_SECRET_ACCESS_KEY", "pSH5r44wLzwTGV6HJYq/EEyUqj37Xa2fCs+4Gu0G", Where::Env, Expect::Format,
     "AWS secret key: 40 base64 characters named as one"},
    {"AWS_CREDENTIALS",
     "[default]\naws_access_key_id = AKIAQSLOJOLIE8NSB1IA\naws_secret_access_key = "
     "SzVrE+BfeTRxLyvoCvi2e4RlaqNp0MIj8UeaOQt+\n",
     Where::Env, Expect::Format, "an AWS credentials file in a multi-line string"},
    {"args", "ghp_JIH0EoQnsZcyGT6kVjqBR02nqBLpwXpLsBnP", Where::Argument, Expect::Format, "GitHub classic token",
     "--token", "run --token ghp_JIH0EoQnsZcyGT6kVjqBR02nqBLpwXpLsBnP"},
    {"GH_OAUTH", "gho_wBcuzDfeWcM6aPXtmCEJyvdsHB8ij3dhx0kn", Where::Env, Expect::Format, "GitHub OAuth token"},
    {"INSTALL", "ghs_ttMyscwigxFCL4LBcwIsi9Zduk54IVi5a5p6", Where::Env, Expect::Format, "GitHub app token"},
    {"GITHUB", "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",
     Where::Env, Expect::Format, "GitHub fine-grained token"},
    {"GITLAB", "glpat-ZX8XItt5MadHJQCFV1u9", Where::Env, Expect::Format, "GitLab token"},
    {"NOTIFY", "xoxb-642798736730-9078221092417-KHU1dnTV6PSBb9IbX3Rjt1Nj", Where::Env, Expect::Format, "Slack bot"},
    {"slack", "xoxp-086437091358-809753908638-0152752534914-4453140ebcfd2e8ac36ac2fd90ecdf12", Where::Annotation,
     Expect::Format, "Slack user token in an annotation"},
    {"HOOK", "https://hooks.slack.com/services/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", Where::Env,
     Expect::Format, "Slack webhook"},
    {"PAYMENTS", "sk_live_F2GjhdwNdH0HXYVlfTXBtAtp", Where::Env, Expect::Format, "Stripe secret key"},
    {"STRIPE_RESTRICTED", "rk_live_qsZLTJA6srVTng1Pfkd2h9Wq", Where::Env, Expect::Format, "Stripe restricted key"},
    {"MAPS", "AIzatCNmn_4nf1r9D9QUpa-lmI5b1rarFSt23cT", Where::Env, Expect::Format, "Google API key"},
    {"MAIL", "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", Where::Env, Expect::Format,
     "SendGrid"},
    {"SMS", "SKc4e2ffe201f5730d6ef1d168f4440529", Where::Env, Expect::Format, "Twilio API key"},
    {"NPM_CONFIG", "npm_kSE9mQFaMTpeDXheUMeyHSlmK6dUbyNnU4CR", Where::Env, Expect::Format, "npm token"},
    {"OPENAI", "sk-proj-ndRdfIuJOXTDAKCPPjWwfqz78GfkhjI8m8SG8dqPLwLXGS17", Where::Env, Expect::Format, "OpenAI"},
    {"LLM", "sk-ant-api03-ZvBiv7E2tsfPsRn5RUaAb1MXtGeg0CPuoho8wq0u2HBaf0C7E4JLA-h0IoTP55EOqQDHyOXwRR7e7YVYAA",
     Where::Env, Expect::Format, "Anthropic"},
    {"VAULT", "hvs.KhM8556FchgHJSF3go2cf9OD", Where::Env, Expect::Format, "Vault token"},
    {"DO", "dop_v1_2ed8306af19a3854c64558f6a8e3b3b17a703a600913751e4a22ca6ad519b7f0", Where::Env, Expect::Format,
     "DigitalOcean"},
    {"AZURE_APP", "8Ld8Q~q5nljGAV98MtR.qSm5n6oUg7_IcFGg997M", Where::Env, Expect::Format, "Azure AD client secret"},
    {"ALERTS",
     "https://discord.com/api/webhooks/348047259593058323/"
     "opJAk-JMs1WWMroQjHbu9p8ABXsUFvo9aXU_JFEgHwfCtXQ96D5GssMKkiwsILHN8Wtg",
     Where::Env, Expect::Format, "Discord webhook"},
    {"TLS",
     "-----BEGIN RSA PRIVATE KEY-----\nQs5wrEj2vZ0FNK5an46ExHc7BJaq2QE4cZImreQ4djjoUkw+7a7cRSk00kARtptj\n"
     "XL/K1z/ynXMfjN5z8bg2j8NApPbM8cvQeL3a2r2gVtvUXFM9AcmOvhFCKTZKbbyH\n-----END RSA PRIVATE KEY-----\n",
     Where::Env, Expect::Format, "PEM private key in a multi-line string"},
    {"DEPLOY",
     "-----BEGIN OPENSSH PRIVATE KEY-----\nY0+AZjI54aUyK/JxVKRHxfOlsDHLUd9lwW72S1mcHwEibcn1EwA6xQn3kp2Zg5LiNGAo9j\n"
     "-----END OPENSSH PRIVATE KEY-----",
     Where::Env, Expect::Format, "OpenSSH private key"},
    {"GOOGLE_APPLICATION_CREDENTIALS_JSON",
     "{\"type\": \"service_account\", \"project_id\": \"shop\", \"private_key\": \"-----BEGIN PRIVATE "
     "KEY-----\\niErn1Y4LOGi2KD3p9FniAoQBvlSZFyOpkP071XZjU0wHLW9isiTbQT11XunBYnAp\\n-----END PRIVATE KEY-----\\n\"}",
     Where::Env, Expect::Format, "a service account key: PEM with JSON's \\n escapes"},
    {"SESSION",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib3QiLCJyb2xlIjoiYWRtaW4ifQ."
     "nnAsaovKKZJf9VdY8UH3xchU3QOLZr1kaMg5woRaOLO",
     Where::Env, Expect::Format, "JWT"},
    {"KEY_B64", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVND", Where::Env,
     Expect::Format, "a private key, base64-encoded"},

    // ---- URLs and connection strings (P0103) ----------------------------------------------
    {"DATABASE_URL", "postgres://app:Xk9mP2vLq8@db.internal:5432/app", Where::Env, Expect::Format, "URL password"},
    {"MONGO", "mongodb+srv://shop:Zq8mN3xK1w@cluster0.mongodb.net/shop?retryWrites=true", Where::Env, Expect::Format,
     "mongodb+srv password"},
    {"BROKER", "amqps://orders:Tb7NwK2pYs@mq.internal:5671/", Where::Env, Expect::Format, "AMQP password"},
    {"CACHE", "redis://:hunter2@cache.internal:6379/0", Where::Env, Expect::Format, "Redis AUTH in the URL"},
    {"STORAGE",
     "DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=nsbiXP8Xd45YaSBJlcBQYFCCgWG6/"
     "q4YdUmmx6Ca6XCukdlwPf/"
     "Z1wGZ0J8DLZsQRrIp+r4nIyuuxRUNNQxl8g==;EndpointSuffix=core.windows.net",
     Where::Env, Expect::Format, "issue 13: Azure storage connection string (AccountKey=)"},
    {"BLOBS", "DefaultEndpointsProtocol=https;AccountName=shopdev;AccountKey=UPvzBLZg84sDvGXGCA5LxHdXsp5ZLuv0",
     Where::Env, Expect::Format, "issue 13: AccountKey= with a key of a shape no format knows"},
    {"SERVICEBUS",
     "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
     "SharedAccessKey=knOoVVxh3eEH9DFlZNOcK6fe42JZ3qQdsKMoFV6ucW0=",
     Where::Env, Expect::Format, "Service Bus SharedAccessKey="},
    {"SQLSERVER",
     "Server=tcp:shop.database.windows.net,1433;Database=shop;User ID=app;Password=Xk9#mP2$vL;Encrypt=true", Where::Env,
     Expect::Format, "ADO.NET Password="},
    {"ODBC", "Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=Tr0ub4dor&3;", Where::Env, Expect::Format, "ODBC Pwd="},
    {"PG_DSN", "host=db.internal port=5432 user=app password=Zq8mN3xK1w dbname=shop", Where::Env, Expect::Format,
     "libpq key=value DSN"},
    {"JDBC", "jdbc:mysql://db:3306/shop?user=app&password=Zq8mN3xK1w&useSSL=true", Where::Env, Expect::Format,
     "password in a URL query"},
    {"EXPORT_URL",
     "https://shopstore.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig="
     "mWWHliM5NG5U3hYcxdnlTLsJOICWnQgSNpxBBZkvlWA%3D",
     Where::Env, Expect::Format, "Azure SAS URL"},
    {"FEED", "https://api.partner.io/v1/feed?format=json&access_token=IQk6G2Vy3ExvC37cSMCgZZLRheRc383tLWLYy2gd",
     Where::Env, Expect::Format, "token in a URL query"},

    // ---- Authorization headers (P0103) ----------------------------------------------------
    {"Authorization", "Bearer IQk6G2Vy3ExvC37cSMCgZZLRheRc383tLWLYy2gd", Where::Header, Expect::Format,
     "issue 13: Authorization: Bearer in a probe header"},
    {"Authorization", "Basic YWRtaW46WnE4bU4zeEsxdw==", Where::Header, Expect::Format,
     "issue 13: Authorization: Basic admin:… in a probe header"},
    {"command", "curl -fsS -H 'Authorization: Bearer RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn' https://api.internal/sync",
     Where::Argument, Expect::Format, "issue 13: a bearer token in a curl command"},
    {"UPSTREAM_AUTH", "Basic c3luYzpUYjdOd0sycFlzOUhk", Where::Env, Expect::Format, "a basic-auth header value"},
    {"WEBHOOK_HEADERS", "Content-Type: application/json\nAuthorization: Token db80df66b245ebb4478a887104a25409\n",
     Where::Env, Expect::Format, "an Authorization: Token line in a multi-line string"},

    // ---- names (P0101) --------------------------------------------------------------------
    {"DB_PASSWORD", "hunter2-but-longer", Where::Env, Expect::Name, "the classic"},
    {"db_pass", "Tr0ub4dor&3", Where::Env, Expect::Name, "issue 13: abbreviated db_pass"},
    {"pwd", "S3cure!pass", Where::Env, Expect::Name, "issue 13: abbreviated pwd"},
    {"DB_PW", "xK8#pL2q", Where::Env, Expect::Name, "pw as a word"},
    {"REDIS_PASS", "Xk9mP2vL", Where::Env, Expect::Name, "pass as the last word"},
    {"rootPw", "Xk9mP2vLq8", Where::Env, Expect::Name, "camelCase pw"},
    {"dbpassword", "Xk9mP2vLq8", Where::Env, Expect::Name, "glued db + password"},
    {"MYSQL_ROOT_PASSWORD", "rootpass123", Where::Env, Expect::Name, "mysql image variable"},
    {"SMTP_PASSWORD", "correct horse battery", Where::Env, Expect::Name, "a passphrase is not prose"},
    {"DATABASE_PASSWORD", "738294615", Where::Env, Expect::Name, "a numeric password"},
    {"apiKey", "a8f9e7d6-c5b4-4a3b-9c2d-1e0f9a8b7c6d", Where::Env, Expect::Name, "a UUID-shaped API key"},
    {"client-secret", "abc123", Where::Env, Expect::Name, "kebab-case"},
    {"SECRET_KEY_BASE", "83e1c48fff82912c7ebe3673e87b40b93bddc665372b068b05e54f954478c70b", Where::Env, Expect::Name,
     "hex under a secret name"},
    {"ENCRYPTION_KEY", "UPvzBLZg84sDvGXGCA5LxHdXsp5ZLuv0", Where::Env, Expect::Name, "the name wins over entropy"},
    {"JWT_SECRET", "s1gn1ng-k3y-2024!", Where::Env, Expect::Name, "JWT signing secret"},
    {"X-API-Key", "db80df66b245ebb4478a887104a25409", Where::Header, Expect::Name, "an API key header"},
    {"example.com/api-token", "RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn", Where::Annotation, Expect::Name,
     "an annotation: the DNS prefix says nothing"},
    {"api-token", "Tb7NwK2pYs9Hd4Jf", Where::Tag, Expect::Name, "a random value under a secret name in a tag"},
    {"AUTH", "admin:Zq8mN3xK1w", Where::Env, Expect::Name, "user:password under a weak name"},
    {"PGPASSWORD", "Zq8mN3xK1w", Where::Env, Expect::Name, "libpq's variable"},

    // ---- command-line arguments (P0101) ----------------------------------------------------
    {"args", "--db-password=hunter2", Where::Argument, Expect::Name, "issue 13: --db-password=…", "",
     "migrate --db-password=hunter2"},
    {"args", "hunter2", Where::Argument, Expect::Name, "issue 13: --db-password, then its value", "--db-password",
     "migrate --db-password hunter2"},
    {"args", "--api-key=f3a9c2e1b7d4", Where::Argument, Expect::Name, "--api-key=", "", "--api-key=f3a9c2e1b7d4"},
    {"command", "mysql -uroot -phunter2 shop", Where::Argument, Expect::Name, "mysql -p…"},
    {"args", "-pS3cure!pass", Where::Argument, Expect::Name, "mysql -p… as a list item", "-uroot",
     "mysqldump -uroot -pS3cure!pass shop"},
    {"args", "s3cr3tRedis", Where::Argument, Expect::Name, "redis-cli -a", "-a", "redis-cli -a s3cr3tRedis ping"},
    {"command", "sh -c 'PGPASSWORD=Xk9mP2vL psql -h db -U app -c \"select 1\"'", Where::Argument, Expect::Name,
     "an environment assignment in a shell command"},
    {"command", "docker login -u bot -p Xk9mP2vLq8 registry.internal", Where::Argument, Expect::Name,
     "docker login -p"},
    {"command", "curl -u admin:Zq8mN3xK1w https://api.internal/health", Where::Argument, Expect::Name, "curl -u"},
    {"command", "openssl rsa -passin pass:Tb7NwK2pYs -in key.pem", Where::Argument, Expect::Name, "openssl pass:"},
    {"command", "app serve --password Zq8mN3xK1w --port 8080", Where::Argument, Expect::Name, "--password value"},

    // ---- multi-line config (P0101) ---------------------------------------------------------
    {"CONFIG", "database:\n  host: db.internal\n  password: s3cr3t-Pa55\n", Where::Env, Expect::Name,
     "issue 13: YAML in a multi-line string"},
    {"DOTENV", "LOG_LEVEL=info\nDB_PASS=hunter2\n", Where::Env, Expect::Name, "a .env file"},
    {"SETTINGS_JSON", "{\n  \"endpoint\": \"https://api.internal\",\n  \"client_secret\": \"8Fh2kLm9Qx\"\n}\n",
     Where::Env, Expect::Name, "JSON"},
    {"SMTP_INI", "[smtp]\nhost = mail.internal\npassword = Zq8!mN3x\n", Where::Env, Expect::Name, "INI"},
    {"REDIS_CONF", "port 6379\nrequirepass s3cr3tRedis\n", Where::Env, Expect::Name, "redis.conf requirepass"},
    {"NETRC", "machine api.internal login bot password Zq8mN3xK1\n", Where::Env, Expect::Name, "netrc"},
    {"SETTINGS_XML", "<settings>\n  <username>bot</username>\n  <password>Zq8mN3xK1</password>\n</settings>\n",
     Where::Env, Expect::Name, "XML"},
    {"APPLICATION_PROPERTIES", "server.port=8080\nspring.datasource.password=Zq8mN3xK1\n", Where::Env, Expect::Name,
     "Java properties"},
    {"COMPOSE", "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=Xk9mP2vLq8\n", Where::Env, Expect::Name,
     "a compose environment list item"},

    // ---- entropy (P0102) -------------------------------------------------------------------
    {"UPSTREAM", "q8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae", Where::Env, Expect::Entropy, "random under a neutral name"},
    {"args", "RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn", Where::Argument, Expect::Entropy, "random argument", "--seed",
     "app --seed RGlFA2bLvMno72jwEbDjrSuz6Gi0HSZn"},
    {"checksum/upstream", "zEO0VERJmo2adCLdaXAE6Cg7GpXPiS", Where::Annotation, Expect::Entropy,
     "random annotation value (not hexadecimal, so not a checksum)"},

    // ---- more places and formats -----------------------------------------------------------
    {"BOT", "5823740192:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ", Where::Env, Expect::Format, "Telegram bot token"},
    {"NEWSLETTER", "0123456789abcdef0123456789abcdef-us21", Where::Env, Expect::Format, "Mailchimp API key"},
    {"CHAT", "MTAxNjY3MjE0NTk3NTg0ODk2Ng.GhT3xY.Tb7NwK2pYs9Hd4Jf6Gc1AeQ8zR3LmX0vWq5", Where::Env, Expect::Format,
     "Discord bot token"},
    {"KUBECONFIG",
     "users:\n- name: admin\n  user:\n    client-key-data: "
     "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBdTFTVTFMZlZMUEhDb3pNeEgyTW80bGdPRUVQek5tMHRSZ2VM"
     "ZXpWNmZmQXQwZ3VuCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==\n",
     Where::Env, Expect::Format, "a base64 PEM key inside a kubeconfig"},
    {"SIGNER", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Tb7NwK2pYs9Hd4Jf6Gc1AeQ8zR3LmX0vWq5", Where::Env,
     Expect::Format, "a base64 DER private key"},
    {"GIT_URL", "https://x-access-token:ghs_ttMyscwigxFCL4LBcwIsi9Zduk54IVi5a5p6@github.com/acme/repo.git", Where::Env,
     Expect::Format, "a token as a URL's password"},
    {"MYSQL_DSN", "app:Zq8mN3xK1w@tcp(db:3306)/shop", Where::Env, Expect::Format, "Go's MySQL DSN"},
    {"NPMRC", "//registry.npmjs.org/:_authToken=Tb7NwK2pYs9Hd4Jf6Gc1AeQ8", Where::Env, Expect::Name, ".npmrc"},
    {"K8S_SECRET", "apiVersion: v1\nkind: Secret\ndata:\n  password: aHVudGVyMi1idXQtbG9uZ2Vy\n", Where::Env,
     Expect::Name, "a Secret manifest in a string"},
    {"POD_ENV", "- name: DB_PASSWORD\n  value: Zq8mN3xK1w\n", Where::Env, Expect::Name,
     "a Kubernetes env list: the name, then the value"},
    {"INIT_SQL", "CREATE USER app WITH PASSWORD 'Zq8mN3xK1w';", Where::Env, Expect::Name, "SQL WITH PASSWORD"},
    {"GRANTS", "ALTER USER 'root'@'%' IDENTIFIED BY 'Zq8mN3xK1w';", Where::Env, Expect::Name, "SQL IDENTIFIED BY"},
    {"args", "Zq8mN3xK1w", Where::Argument, Expect::Name, "Go's single-dash flag", "-password",
     "vpn -password Zq8mN3xK1w"},
    {"command", "htpasswd -b -c /etc/nginx/.htpasswd admin Zq8mN3xK1w", Where::Argument, Expect::Name,
     "htpasswd's positional password"},
    {"TF_VAR_db_password", "Zq8mN3xK1w", Where::Env, Expect::Name, "a Terraform variable"},
    {"KAFKA_JAAS",
     "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\"Zq8mN3xK1w\";",
     Where::Env, Expect::Format, "a JAAS line: fields ending with `;`, like a connection string"},
    {"SESSION_SECRET", "keyboard cat", Where::Env, Expect::Name, "two words under a secret name"},

    // ---- look-alikes: settings about a secret ----------------------------------------------
    {"TOKEN_TTL", "30s", Where::Env, Expect::Nothing, "a duration"},
    {"PASSWORD_FILE", "/run/secrets/db-password", Where::Env, Expect::Nothing, "a path"},
    {"TOKEN_URL", "https://auth.example.com/oauth/token", Where::Env, Expect::Nothing, "a URL about the token"},
    {"SECRET_NAME", "shop-db", Where::Env, Expect::Nothing, "a name"},
    {"API_KEY_HEADER", "X-Api-Key", Where::Env, Expect::Nothing, "a header name"},
    {"PASSWORD_MIN_LEN", "12", Where::Env, Expect::Nothing, "a number"},
    {"TOKEN_ENABLED", "true", Where::Env, Expect::Nothing, "a boolean"},
    {"JWT_SECRET_PATH", "/var/run/jwt", Where::Env, Expect::Nothing, "a path"},
    {"max_tokens", "4096", Where::Env, Expect::Nothing, "a count of tokens"},
    {"TOKENIZER", "cl100k_base", Where::Env, Expect::Nothing, "tokenizer is not token"},
    {"KEYBOARD_LAYOUT", "us-intl", Where::Env, Expect::Nothing, "keyboard is not key"},
    {"MONKEY_PATCH", "enabled", Where::Env, Expect::Nothing, "monkey is not key"},
    {"passphrase_hint", "favourite band", Where::Env, Expect::Nothing, "a hint"},
    {"password_policy", "strong", Where::Env, Expect::Nothing, "a policy"},
    {"SECRET_STORE", "aws-secrets-manager", Where::Env, Expect::Nothing, "where secrets are kept"},
    {"DB_PASSWORD_SECRET", "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-AbCdEf", Where::Env,
     Expect::Nothing, "an ARN is a reference"},
    {"DB_PASSWORD_REF", "shop/prod/db-password", Where::Env, Expect::Nothing, "a secret-store path"},
    {"vault.hashicorp.com/agent-inject-secret-db", "database/creds/db-app", Where::Annotation, Expect::Nothing,
     "a Vault path in an injector annotation"},
    {"STRIPE_PUBLISHABLE_KEY", "pk_live_51NqXyZ2eZvKYlo2C0a1b2c3d", Where::Env, Expect::Nothing,
     "publishable keys are public"},
    {"public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae deploy@ci", Where::Env,
     Expect::Nothing, "a public key"},
    {"page_token", "CAESBggBEAEYAQ", Where::Env, Expect::Nothing, "a pagination cursor"},
    {"CACHE_KEY", "user:profile:v2", Where::Env, Expect::Nothing, "a cache key"},
    {"ROUTING_KEY", "orders.created", Where::Env, Expect::Nothing, "a message routing key"},
    {"PARTITION_KEY", "customer_id", Where::Env, Expect::Nothing, "a partition key"},
    {"TOKEN_TYPE", "Bearer", Where::Env, Expect::Nothing, "the word Bearer"},
    {"auth_mode", "oauth2", Where::Env, Expect::Nothing, "an authentication scheme"},
    {"AUTH_PROVIDER", "keycloak", Where::Env, Expect::Nothing, "a provider"},
    {"KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", Where::Env, Expect::Nothing, "a mechanism"},

    // ---- look-alikes: identifiers, digests, encoded config ---------------------------------
    {"REQUEST_NAMESPACE", "123e4567-e89b-12d3-a456-426614174000", Where::Env, Expect::Nothing, "a UUID"},
    {"GIT_COMMIT", "9fceb02d0ae598e95dc970b74767f19372d61af8", Where::Env, Expect::Nothing, "a commit id"},
    {"CHECKSUM", "d41d8cd98f00b204e9800998ecf8427e", Where::Env, Expect::Nothing, "an MD5"},
    {"image", "ghcr.io/acme/api@sha256:3f1a9c6e2b7d4a8f0e5c1b9d7a3e6f2c8b4d0a9e7c5f3b1d8a6e4c2f0b9d7a5e", Where::Value,
     Expect::Nothing, "an image digest"},
    {"CA_BUNDLE_B64",
     "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJJakFOQmdrcWhraUc5dzBCQVFFRkFBT0NBUThBTUlJQkNnS0NBUUVB", Where::Env,
     Expect::Nothing, "base64 of a certificate"},
    {"FEATURE_FLAGS", "eyJkYXJrTW9kZSI6dHJ1ZSwiYmV0YSI6ZmFsc2V9", Where::Env, Expect::Nothing, "base64 of JSON"},
    {"SERVICE_NAME", "PaymentsGatewayServiceV2Blue", Where::Env, Expect::Nothing, "a camelCase identifier"},
    {"STRIPE_PRICE_ID", "price_1NqXyZ2eZvKYlo2C0a1b2c3d", Where::Env, Expect::Nothing, "an id"},
    {"OKTA_CLIENT_ID", "0oa1b2c3d4E5f6G7h8i9", Where::Env, Expect::Nothing, "client ids are public"},
    {"SENTRY_DSN", "https://3f9a1c2e4b5d6a7f8e9d0c1b2a3f4e5d@o123456.ingest.sentry.io/789", Where::Env, Expect::Nothing,
     "a DSN has a public key and no password"},
    {"DATABASE_URL", "postgres://app@db.internal:5432/app", Where::Env, Expect::Nothing, "a URL without a password"},
    {"CERT",
     "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
     "-----END CERTIFICATE-----\n",
     Where::Env, Expect::Nothing, "a certificate is public"},
    {"SSH_KNOWN_HOSTS", "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
     Where::Env, Expect::Nothing, "a host key"},

    {"INTEGRITY", "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC", Where::Env,
     Expect::Nothing, "a subresource integrity digest"},
    {"PLAN", "price_1NqXyZ2eZvKYlo2C0a1b2c3d", Where::Env, Expect::Nothing, "a Stripe object id"},
    {"LOGO", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
     Where::Env, Expect::Nothing, "a base64 PNG"},
    {"CA_CERT", "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJQmFsdGltb3Jl",
     Where::Env, Expect::Nothing, "a base64 DER certificate"},
    {"DEPLOY_KEY_PUB", "AAAAC3NzaC1lZDI1NTE5AAAAIGq8Zr3LmX0vTb7NwK2pYs9Hd4Jf6Gc1Ae", Where::Env, Expect::Nothing,
     "an SSH public key blob"},
    {"existingSecret", "postgres-auth", Where::Value, Expect::Nothing, "Helm's name of an existing Secret"},
    {"passwordSecretName", "db-pass", Where::Value, Expect::Nothing, "the name of a Secret"},
    {"ENCRYPTION_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", Where::Env,
     Expect::Nothing, "a KMS key's ARN"},
    {"SIGNING_KEY_ID", "key-2024-01", Where::Env, Expect::Nothing, "a key id"},
    {"TOKENS_PER_MINUTE", "60000", Where::Env, Expect::Nothing, "a rate limit"},
    {"keyboard-shortcuts", "enabled", Where::Tag, Expect::Nothing, "keyboard"},
    {"TRACEPARENT", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Where::Env, Expect::Nothing,
     "a trace context"},
    {"expr", "rate(auth_token_validation_failures_total[5m]) > 0", Where::Value, Expect::Nothing,
     "a PromQL expression about tokens"},

    // ---- look-alikes: placeholders ---------------------------------------------------------
    {"AUTH_TOKEN", "changeme", Where::Env, Expect::Nothing, "changeme"},
    {"API_TOKEN", "<your-token>", Where::Env, Expect::Nothing, "angle brackets"},
    {"DB_PASSWORD", "${DB_PASSWORD}", Where::Env, Expect::Nothing, "a shell variable"},
    {"GITHUB_TOKEN", "xxx", Where::Env, Expect::Nothing, "xxx"},
    {"STRIPE_KEY", "REPLACE_ME", Where::Env, Expect::Nothing, "REPLACE_ME"},
    {"PASSWORD", "********", Where::Env, Expect::Nothing, "a mask"},
    {"SECRET", "TODO", Where::Env, Expect::Nothing, "TODO"},
    {"stripeApiKey", "not-really-a-key", Where::Env, Expect::Nothing, "says so itself"},
    {"API_KEY", "{{ .Values.apiKey }}", Where::Env, Expect::Nothing, "a Helm template"},
    {"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", Where::Env, Expect::Nothing, "AWS's documented example key"},
    {"HOOK", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", Where::Env,
     Expect::Nothing, "Slack's documented placeholder"},
    {"DATABASE_URL", "postgres://app:${db.password}@db:5432/app", Where::Env, Expect::Nothing,
     "a deploy-time reference in the URL"},
    {"Authorization", "Bearer ${API_TOKEN}", Where::Header, Expect::Nothing, "a header with a variable"},
    {"Authorization", "Basic dXNlcm5hbWU6cGFzc3dvcmQ=", Where::Header, Expect::Nothing, "base64 of username:password"},

    // ---- look-alikes: keys named as examples (issue 13) -----------------------------------
    {"EXAMPLE_API_KEY", "your-api-key-here", Where::Env, Expect::Nothing, "issue 13: an example key"},
    {"SAMPLE_PASSWORD", "hunter2", Where::Env, Expect::Nothing, "issue 13: a sample password"},
    {"EXAMPLE_DATABASE_URL", "postgres://user:password@localhost:5432/app", Where::Env, Expect::Nothing,
     "issue 13: an example URL"},
    {"API_KEY_EXAMPLE", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", Where::Env, Expect::Nothing,
     "issue 13: a masked provider token"},
    {"DUMMY_TOKEN", "abc123def456", Where::Env, Expect::Nothing, "issue 13: a dummy"},
    {"placeholderSecret", "s3cr3t-Pa55", Where::Env, Expect::Nothing, "issue 13: a placeholder, by name"},
    {"EXAMPLE_JWT",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     Where::Env, Expect::Nothing, "issue 13: a sample JWT in documentation"},

    // ---- look-alikes: tag values (issue 13) ------------------------------------------------
    {"team", "token-service", Where::Tag, Expect::Nothing, "issue 13: a tag value that contains token"},
    {"purpose", "auth-token-rotation", Where::Tag, Expect::Nothing, "issue 13: token in a tag value"},
    {"component", "tokenizer", Where::Tag, Expect::Nothing, "issue 13: tokenizer"},
    {"token-owner", "payments", Where::Tag, Expect::Nothing, "issue 13: token in a tag key"},
    {"secret-rotation", "quarterly", Where::Tag, Expect::Nothing, "issue 13: a setting about secrets"},
    {"owner", "secrets-team", Where::Tag, Expect::Nothing, "issue 13: a team"},
    {"api-token", "enabled", Where::Tag, Expect::Nothing, "issue 13: a tag flag"},

    // ---- look-alikes: prose (issue 13) -----------------------------------------------------
    {"docs.example.com/password-policy", "Passwords must be at least 12 characters long and rotated every 90 days.",
     Where::Annotation, Expect::Nothing, "issue 13: prose in an annotation"},
    {"PASSWORD_HINT", "Use the name of your first pet", Where::Env, Expect::Nothing, "issue 13: a hint"},
    {"PASSWORD", "Please ask the platform team for the password.", Where::Env, Expect::Nothing,
     "issue 13: a sentence under a secret name"},
    {"description", "The token refresh job failed; check the password store.", Where::Value, Expect::Nothing,
     "issue 13: an alert description"},
    {"summary", "Rotate the Stripe API key and the database password quarterly", Where::Value, Expect::Nothing,
     "issue 13: prose without a full stop"},
    {"SECRET_ROTATION_NOTE", "secrets are rotated by the platform team", Where::Env, Expect::Nothing,
     "issue 13: lower-case prose"},
    {"docs", "Use Basic authentication with your own credentials.", Where::Annotation, Expect::Nothing,
     "issue 13: Basic in a sentence"},

    // ---- look-alikes: arguments and multi-line strings -------------------------------------
    {"args", "--password-file=/run/secrets/db", Where::Argument, Expect::Nothing, "a file", "",
     "app --password-file=/run/secrets/db"},
    {"args", "3600", Where::Argument, Expect::Nothing, "a TTL", "--token-ttl", "app --token-ttl 3600"},
    {"args", "8080", Where::Argument, Expect::Nothing, "-p is a port here", "-p", "app -p 8080"},
    {"command", "psql -h db -p 5432 -U app", Where::Argument, Expect::Nothing, "-p is a port for psql"},
    {"args", "--tokenizer=bpe", Where::Argument, Expect::Nothing, "tokenizer"},
    {"CONFIG", "database:\n  host: db.internal\n  password: ${DB_PASSWORD}\n", Where::Env, Expect::Nothing,
     "a variable in YAML"},
    {"NGINX", "location / {\n  proxy_set_header Authorization $http_authorization;\n}\n", Where::Env, Expect::Nothing,
     "a header forwarded from a variable"},
    {"README", "Set the password in the DB_PASSWORD variable.\nThe token is read at start-up.\n", Where::Env,
     Expect::Nothing, "prose on several lines"},
    {"APP_YAML", "auth:\n  mode: oauth2\n  token_url: https://auth.internal/token\n  max_tokens: 100\n", Where::Env,
     Expect::Nothing, "settings about tokens in YAML"},
    {"CONFIG", "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n", Where::Env, Expect::Nothing, "Ansible vault"},
    {"CONFIG", "passwordCommand: cat /run/secrets/db\n", Where::Env, Expect::Nothing, "a command that reads it"},
    {"API_TOKEN", "sk-...", Where::Env, Expect::Nothing, "an ellipsis"},
    {"DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", Where::Env,
     Expect::Nothing, "an Azure Key Vault reference"},
    {"GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}", Where::Env, Expect::Nothing, "a GitHub Actions expression"},
    {"X-Probe", "kubelet", Where::Header, Expect::Nothing, "a probe header"},
    {"prometheus.io/scrape", "true", Where::Annotation, Expect::Nothing, "a boolean annotation"},
};

}  // namespace platc::testing::secrets_corpus
