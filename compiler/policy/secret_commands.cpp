// Command lines: a secret passed to a program is named by the flag before it (`--db-password
// hunter2`, the previous item of a `command` or `args` list) or, for the tools whose password
// option is a letter, by the tool (`mysql -phunter2`, `redis-cli -a …`, `curl -u user:…`).
#include <algorithm>

#include "compiler/policy/secret_structure.h"
#include "compiler/policy/secret_text.h"

namespace platc::policy::secrets {
namespace {

struct Token {
  std::string_view text;
  std::size_t at;
};

// Words split at whitespace; a quoted word runs to its closing quote and loses the quotes.
std::vector<Token> tokens(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) break;
    if (s[i] == '"' || s[i] == '\'') {
      char q = s[i];
      auto close = s.find(q, i + 1);
      std::size_t end = close == std::string_view::npos ? s.size() : close;
      out.push_back({s.substr(i + 1, end - i - 1), i + 1});
      i = end + 1;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    out.push_back({s.substr(start, i - start), start});
  }
  return out;
}

bool is_flag(std::string_view t) {
  return t.size() >= 2 && t[0] == '-' && (t[1] == '-' || is_alpha(t[1])) && t.find('=') == std::string_view::npos;
}

// A flag spelled as a word: `--db-password`, or Go's single-dash `-password` (not `-p`).
bool long_flag(std::string_view t) {
  return is_flag(t) && (t.starts_with("--") || t.size() >= 4);
}

// The tools that run in a command line (a word whose file name starts with the tool's name),
// found once per string.
struct Tools {
  bool mysql = false, redis_cli = false, sshpass = false, registry_login = false, curl = false, htpasswd = false;

  explicit Tools(std::string_view command_line) {
    bool login = false, registry_client = false;
    for (const auto& t : tokens(command_line)) {
      auto slash = t.text.rfind('/');
      std::string_view base = t.text.substr(slash == std::string_view::npos ? 0 : slash + 1);
      auto is = [&](std::string_view name) { return base.starts_with(name); };
      mysql |= is("mysql") || is("mariadb");
      redis_cli |= is("redis-cli");
      sshpass |= is("sshpass");
      curl |= is("curl") || is("wget");
      htpasswd |= is("htpasswd");
      registry_client |= is("docker") || is("podman") || is("helm") || is("nerdctl");
      login |= base == "login";
    }
    registry_login = registry_client && login;
  }
};

// Short options that take a password in some tools: mysql -pSECRET, redis-cli -a SECRET,
// sshpass -p SECRET, docker login -p SECRET, curl -u user:SECRET.
std::optional<Pair> tool_password(std::string_view flag, std::string_view next, std::size_t next_at,
                                  const Tools& tools) {
  auto pair = [&](std::string_view value, std::size_t at) {
    Pair p{flag, value, at};
    p.tool = true;
    return p;
  };
  if ((tools.mysql || tools.sshpass) && flag.size() > 2 && flag.starts_with("-p") && flag[2] != '=' && flag[2] != '-') {
    Pair p = pair(flag.substr(2), 0);
    p.name = flag.substr(0, 2);
    return p;
  }
  if (next.empty()) return std::nullopt;
  if (flag == "-a" && tools.redis_cli) return pair(next, next_at);
  if (flag == "-p" && (tools.sshpass || tools.registry_login)) return pair(next, next_at);
  if ((flag == "-u" || flag == "--user") && tools.curl) {
    auto colon = next.find(':');
    if (colon != std::string_view::npos && colon + 1 < next.size())
      return pair(next.substr(colon + 1), next_at + colon + 1);
  }
  return std::nullopt;
}

// htpasswd -b FILE USER PASSWORD (-n: no file): the password is a positional argument.
void htpasswd(const std::vector<Token>& toks, const Tools& tools, std::vector<Pair>& out) {
  if (!tools.htpasswd) return;
  bool batch = false, no_file = false, after = false;
  std::vector<Token> positional;
  for (const auto& t : toks) {
    if (!after) {
      after = t.text.ends_with("htpasswd");
      continue;
    }
    if (t.text.starts_with("-")) {
      batch |= t.text.find('b') != std::string_view::npos;
      no_file |= t.text.find('n') != std::string_view::npos;
    } else {
      positional.push_back(t);
    }
  }
  std::size_t at = no_file ? 1 : 2;
  if (batch && positional.size() > at) {
    out.push_back({"htpasswd -b", positional[at].text, positional[at].at});
    out.back().tool = true;
  }
}

}  // namespace

void command_pairs(const Site& site, std::vector<Pair>& out) {
  std::string_view s = site.text;
  Tools tools(std::string(site.command_line) + " " + std::string(s));
  auto toks = tokens(s);
  if (!site.previous.empty() && is_flag(site.previous)) {
    std::string_view v = trim(s);
    std::size_t at = static_cast<std::size_t>(v.data() - s.data());
    auto p = tool_password(site.previous, v, at, tools);
    if (p && p->value.data() >= s.data() && p->value.data() <= s.data() + s.size()) {
      out.push_back(*p);
    } else if (long_flag(site.previous)) {
      out.push_back({site.previous, v, at});
    }
  }
  htpasswd(toks, tools, out);
  for (std::size_t i = 0; i < toks.size(); ++i) {
    std::string_view t = toks[i].text;
    std::string_view next = i + 1 < toks.size() ? toks[i + 1].text : std::string_view{};
    std::size_t next_at = i + 1 < toks.size() ? toks[i + 1].at : 0;
    if (t.starts_with("pass:") && t.size() > 5) {
      out.push_back({"pass:", t.substr(5), toks[i].at + 5});
      out.back().tool = true;
      continue;
    }
    if (t.starts_with("-")) {
      if (auto p = tool_password(t, next.starts_with("-") ? std::string_view{} : next, next_at, tools)) {
        if (p->value_at == 0) p->value_at = toks[i].at + 2;
        out.push_back(*p);
        continue;
      }
      if (t.starts_with("--user=") && tools.curl) {
        std::string_view up = t.substr(7);
        auto colon = up.find(':');
        if (colon != std::string_view::npos) {
          out.push_back({"--user", up.substr(colon + 1), toks[i].at + 7 + colon + 1});
          out.back().tool = true;
        }
      }
      if (long_flag(t) && !next.empty() && !next.starts_with("-")) out.push_back({t, next, next_at});
      continue;
    }
    // SQL: `IDENTIFIED BY 'secret'`.
    if (lower(t) == "by" && i > 0 && lower(toks[i - 1].text) == "identified" && !next.empty()) {
      out.push_back({"IDENTIFIED BY", next, next_at});
      out.back().tool = true;
      continue;
    }
    // A bare word naming a secret, then its value: redis.conf's `requirepass …`, netrc's
    // `password …`, SQL's `WITH PASSWORD '…'`. In a sentence the next word is a word, which a
    // loose pair does not take (credential_like).
    bool bare = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return is_alpha(c) || c == '_'; });
    if (bare && !next.empty() && key_meaning(t).kind == KeyKind::Strong) out.push_back({t, next, next_at, true});
  }
}

}  // namespace platc::policy::secrets
