// The structure inside a string: where a name and a value sit side by side, the name decides as
// a key name does (secret_keys.cpp), so `--db-password=…`, `Password=…;` and `password: …` on
// the third line of a config file are judged like `DB_PASSWORD = "…"`. Connection strings, URL
// queries and Authorization headers are formats of their own. (Command lines:
// secret_commands.cpp.)
#include "compiler/policy/secret_structure.h"

#include <algorithm>
#include <map>

#include "compiler/policy/secret_text.h"

namespace platc::policy::secrets {
namespace {

constexpr std::size_t kLongestValue = 1024;

bool name_boundary(char prev) {
  return is_space(prev) || std::string_view(";&?,{([\"'`|=:").find(prev) != std::string_view::npos;
}
bool name_char(char c) {
  return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

// The lines of a text, so that finding the line of a position stays cheap on long strings.
class Lines {
 public:
  explicit Lines(std::string_view s) {
    starts_.push_back(0);
    semicolon_.push_back(false);
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == ';') semicolon_.back() = true;
      if (s[i] == '\n') {
        starts_.push_back(i + 1);
        semicolon_.push_back(false);
      }
    }
  }
  std::size_t index(std::size_t pos) const {
    return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), pos) - starts_.begin()) - 1;
  }
  bool semicolon(std::size_t pos) const { return semicolon_[index(pos)]; }

 private:
  std::vector<std::size_t> starts_;
  std::vector<bool> semicolon_;
};

// The value after a separator at `v`: a quoted string, the rest of a YAML line, or a word.
std::string_view value_at(std::string_view s, std::size_t& v, char sep, bool semicolons) {
  if (s[v] == '"' || s[v] == '\'') {
    char q = s[v++];
    std::size_t close = v;
    std::size_t stop = std::min(s.size(), v + kLongestValue);
    while (close < stop && s[close] != q && s[close] != '\n') close += s[close] == '\\' ? 2 : 1;
    return s.substr(v, std::min(close, stop) - v);
  }
  // A value longer than this is text, not a secret (and scanning on would make long lines quadratic).
  std::size_t limit = std::min(s.size(), v + kLongestValue);
  std::size_t end = v;
  if (sep == ':') {
    while (end < limit && s[end] != '\n' && !(s[end] == '#' && end > v && s[end - 1] == ' ')) ++end;
  } else if (semicolons) {
    // Connection strings: fields end at `;`, values may hold spaces.
    while (end < limit && s[end] != ';' && s[end] != '\n' && s[end] != '"' && s[end] != '\'') ++end;
  } else {
    while (end < limit && !is_space(s[end]) && std::string_view(";&,\"'`)}|").find(s[end]) == std::string_view::npos)
      ++end;
  }
  while (end > v && (is_space(s[end - 1]) || s[end - 1] == ',')) --end;
  return s.substr(v, end - v);
}

// key=value, key: value, "key": "value", --key=value, PGPASSWORD=… anywhere in the text.
void assignments(std::string_view s, const Lines& lines, std::vector<Pair>& out) {
  std::size_t scheme = s.find("://");
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && !name_boundary(s[i - 1])) continue;
    char quote = i > 0 && (s[i - 1] == '"' || s[i - 1] == '\'') ? s[i - 1] : 0;
    std::size_t j = i;
    while (j < s.size() && s[j] == '-' && j - i < 2) ++j;
    if (j >= s.size() || !(is_alpha(s[j]) || s[j] == '_')) continue;
    std::size_t k = j;
    while (k < s.size() && name_char(s[k])) ++k;
    std::string_view name = s.substr(i, k - i);
    std::size_t p = k;
    if (quote && p < s.size() && s[p] == quote) ++p;
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
    if (p + 1 >= s.size()) continue;
    char sep = s[p];
    if (sep == '=') {
      if (s[p + 1] == '=' || s[p + 1] == '>' || s[p + 1] == '~') continue;
    } else if (sep == ':') {
      // `host:port` and `https://` are not pairs: YAML and JSON put a space or a quote after `:`.
      if (!(s[p + 1] == ' ' || s[p + 1] == '\t' || s[p + 1] == '"' || s[p + 1] == '\'')) continue;
    } else {
      continue;
    }
    std::size_t v = p + 1;
    while (v < s.size() && (s[v] == ' ' || s[v] == '\t')) ++v;
    if (v >= s.size() || s[v] == '\n') continue;
    bool semicolons = sep == '=' && lines.semicolon(i);
    std::string_view value = value_at(s, v, sep, semicolons);
    if (value.empty()) continue;
    Pair pair{name, value, v};
    pair.query = i > 0 && (s[i - 1] == '?' || s[i - 1] == '&') && scheme < i;
    out.push_back(pair);
  }
}

// A connection string: several `name=value` fields on one line, separated by `;` or naming a
// server (libpq's `host=… password=…`). Runs on the pairs of assignments() only, whose names
// are views into `s`.
void mark_connection_strings(std::string_view s, const Lines& text, std::vector<Pair>& pairs) {
  struct Line {
    std::size_t fields = 0;
    bool server = false;
  };
  std::map<std::size_t, Line> lines;  // by line number
  auto line_of = [&](const Pair& p) { return text.index(p.value_at); };
  auto field = [&](const Pair& p) {
    if (p.query || p.name.starts_with("-")) return false;
    std::size_t after = static_cast<std::size_t>(p.name.data() + p.name.size() - s.data());
    std::size_t sep = s.find_first_not_of(" \t\"'", after);
    return sep != std::string_view::npos && s[sep] == '=';
  };
  for (const auto& p : pairs) {
    if (!field(p)) continue;
    Line& l = lines[line_of(p)];
    ++l.fields;
    l.server |=
        one_of(lower(p.name), {"host", "hostaddr", "server", "dbname", "database", "driver", "uid", "accountname",
                               "endpoint", "defaultendpointsprotocol", "source", "address", "addr"});
  }
  for (auto& p : pairs) {
    if (!field(p)) continue;
    const Line& l = lines[line_of(p)];
    p.conn = l.fields >= 2 && (text.semicolon(p.value_at) || l.server);
  }
}

// <password>hunter2</password>
void xml(std::string_view s, std::vector<Pair>& out) {
  for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    std::size_t n = run_of(s, i + 1, name_char);
    if (n == 0 || i + 1 + n >= s.size() || s[i + 1 + n] != '>') continue;
    std::string_view name = s.substr(i + 1, n);
    std::size_t v = i + 2 + n;
    // The value is text up to the next tag, which must close this one.
    auto end = s.find('<', v);
    if (end == std::string_view::npos || s.substr(end, n + 3) != "</" + std::string(name) + ">") continue;
    out.push_back({name, s.substr(v, end - v), v});
  }
}

// Kubernetes env lists, ECS task definitions, JSON arrays of settings: `name: DB_PASSWORD` then
// `value: …`. The second pair takes the first one's value as its name.
void name_value(std::vector<Pair>& pairs) {
  std::vector<Pair> more;
  for (std::size_t i = 0; i + 1 < pairs.size(); ++i) {
    std::string a = lower(pairs[i].name), b = lower(pairs[i + 1].name);
    if (!one_of(a, {"name", "key"}) || b != "value") continue;
    if (pairs[i + 1].value_at - pairs[i].value_at > 200) continue;
    more.push_back({pairs[i].value, pairs[i + 1].value, pairs[i + 1].value_at});
  }
  pairs.insert(pairs.end(), more.begin(), more.end());
}

std::optional<Hit> judge(const Pair& p, const Site& site) {
  KeyMeaning km = p.tool ? KeyMeaning{KeyKind::Strong, "password"} : key_meaning(p.name);
  std::string decoded = p.query ? url_decode(p.value) : std::string(p.value);
  std::string_view value = trim(decoded);
  while (!value.empty() && (value.back() == ';' || value.back() == ',')) value.remove_suffix(1);
  std::size_t lead = static_cast<std::size_t>(value.data() - decoded.data());
  KeyKind kind = km.kind;
  if ((site.where == Where::Tag || p.loose) && kind == KeyKind::Strong) kind = KeyKind::Weak;
  bool secret =
      (kind == KeyKind::Strong && plausible_secret_value(value)) || (kind == KeyKind::Weak && credential_like(value));
  Hit h;
  h.offset = p.value_at + (p.query ? 0 : lead);
  h.length = p.query ? p.value.size() : value.size();
  if (!secret) {
    // A random value whose name says nothing (`--seed=q8Zr…`): P0102, as a value of its own.
    if (kind != KeyKind::Example && !names_identifier(p.name) && high_entropy(value) && !placeholder(value)) {
      h.signal = Signal::Entropy;
      return h;
    }
    return std::nullopt;
  }
  std::string noun = km.noun;
  if (lower(p.name) == "sig" && site.text.find("sv=") != std::string_view::npos) noun = "shared access signature";
  if (p.conn || p.query) {
    h.signal = Signal::Format;
    h.what = with_article(noun) + (p.conn ? " in a connection string" : " in a URL");
    return h;
  }
  h.signal = Signal::Name;
  h.what = with_article(noun);
  h.name = std::string(p.name);
  return h;
}

// Authorization: Bearer …, Basic …, Token …: after a mention of the header, or as the whole value.
void headers(const Site& site, std::vector<Hit>& out) {
  std::string_view s = site.text;
  bool named = find_nocase(site.key, "authorization") != std::string_view::npos ||
               (site.where == Where::Header && key_meaning(site.key).kind != KeyKind::None);
  std::vector<std::pair<std::size_t, bool>> starts;  // (position, after a mention of the header)
  std::size_t first = s.find_first_not_of(" \t\n\"'");
  if (first != std::string_view::npos) starts.push_back({first, named});
  for (std::size_t at = find_nocase(s, "authorization"); at != std::string_view::npos;
       at = find_nocase(s, "authorization", at + 1)) {
    std::size_t p = at + 13;
    while (p < s.size() && (s[p] == ' ' || s[p] == '"' || s[p] == '\'' || s[p] == ':' || s[p] == '=')) ++p;
    starts.push_back({p, true});
  }
  for (auto [p, mentioned] : starts) {
    std::size_t n = run_of(s, p, is_alpha);
    std::string scheme = lower(s.substr(p, n));
    if (!one_of(scheme, {"bearer", "basic", "token"}) || (scheme == "token" && !mentioned)) continue;
    std::size_t t = p + n;
    if (t >= s.size() || s[t] != ' ') continue;
    while (t < s.size() && s[t] == ' ') ++t;
    std::size_t len = run_of(s, t, [](char c) { return is_b64(c) || c == '.' || c == '~'; });
    std::string_view token = s.substr(t, len);
    if (token.size() < 8 || placeholder(token)) continue;
    std::string where = mentioned ? " in an Authorization header" : "";
    if (scheme == "basic") {
      auto decoded = decode_base64(token);
      if (!decoded || !readable(*decoded)) continue;
      auto colon = decoded->find(':');
      if (colon == std::string::npos || colon + 1 == decoded->size() || placeholder(decoded->substr(colon + 1)))
        continue;
      out.push_back({Signal::Format, "basic-auth credentials (base64 of user:password)" + where, "", t, len});
    } else {
      if (wordy(token)) continue;
      out.push_back({Signal::Format, (scheme == "bearer" ? "a bearer token" : "an API token") + where, "", t, len});
    }
  }
}

}  // namespace

std::vector<Hit> structure_hits(const Site& site) {
  std::vector<Hit> out;
  headers(site, out);
  std::vector<Pair> pairs;
  Lines lines(site.text);
  assignments(site.text, lines, pairs);
  mark_connection_strings(site.text, lines, pairs);
  name_value(pairs);
  command_pairs(site, pairs);
  xml(site.text, pairs);
  for (const auto& p : pairs)
    if (auto h = judge(p, site)) out.push_back(*h);
  std::stable_sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.offset < b.offset; });
  return out;
}

}  // namespace platc::policy::secrets
