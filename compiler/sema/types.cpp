#include "compiler/sema/types.h"

#include <fmt/format.h>

#include <utility>

namespace platc::sema {
namespace {

struct ScalarInfo {
  const char* name;
  TypeTag tag;
  const char* description;
};

const ScalarInfo kScalars[] = {
    {"string", TypeTag::String, "a string"},
    {"bool", TypeTag::Bool, "`true` or `false`"},
    {"int", TypeTag::Int, "a whole number"},
    {"number", TypeTag::Number, "a number"},
    {"size", TypeTag::Size, "a size such as `512Mi` or `50GiB`"},
    {"duration", TypeTag::Duration, "a duration such as `30s`, `15m` or `7d`"},
    {"cpu", TypeTag::Cpu, "a CPU quantity such as `250m` or `2`"},
    {"percent", TypeTag::Percent, "a percentage such as `70%`"},
    {"cron", TypeTag::Cron, "a cron schedule such as `\"*/15 * * * *\"`"},
    {"url", TypeTag::Url, "a URL"},
    {"host", TypeTag::Host, "a host name"},
    {"cidr", TypeTag::Cidr, "an address range in CIDR notation such as `\"203.0.113.0/24\"`"},
    {"path", TypeTag::Path, "a URL path such as `\"/healthz\"`"},
    {"port", TypeTag::Port, "a port number (1 to 65535)"},
    {"email", TypeTag::Email, "an e-mail address"},
    {"image", TypeTag::Image, "an image: `build(\"./dir\")` or a reference such as `\"nginx:1.27\"`"},
    {"version", TypeTag::Version, "a version such as `16` or `7.2`"},
    {"date", TypeTag::Date, "a date such as `\"2027-01-31\"`"},
    {"region", TypeTag::Region, "a cloud region such as `\"eu-west-1\"`"},
    {"env_value", TypeTag::EnvValue, "a string, a number, a resource output such as `main.url`, or a secret"},
    {"secret", TypeTag::Secret, "a reference to a `secret`"},
    {"trigger", TypeTag::Trigger, "a trigger such as `push(main)`, `tag(\"v*\")` or `manual`"},
    {"scanner", TypeTag::Scanner, "a scanner such as `trivy(severity >= high)`"},
    {"symbol", TypeTag::Symbol, "a bare word"},
};

const ScalarInfo* scalar(TypeTag t) {
  for (const auto& s : kScalars)
    if (s.tag == t) return &s;
  return nullptr;
}

std::string quoted_list(const std::vector<std::string>& words, const char* last_sep) {
  std::string out;
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k) out += k + 1 == words.size() ? last_sep : ", ";
    out += "`" + words[k] + "`";
  }
  return out;
}

const std::string* bare_word(const ast::Expr& e) {
  auto* r = e.as<ast::RefExpr>();
  if (!r || r->path.size() != 1) return nullptr;
  return &r->path[0].name;
}

}  // namespace

const std::vector<std::string>& scalar_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& s : kScalars) v.push_back(s.name);
    for (const char* c : {"enum", "ref", "engine", "list", "map", "range", "chain", "one_of"}) v.push_back(c);
    return v;
  }();
  return names;
}

std::string Type::spelling() const {
  auto words = [&] {
    std::string out;
    for (std::size_t k = 0; k < symbols.size(); ++k) out += (k ? ", " : "") + symbols[k];
    return out;
  };
  auto inner = [&] {
    std::string out;
    for (std::size_t k = 0; k < args.size(); ++k) out += (k ? ", " : "") + args[k].spelling();
    return out;
  };
  switch (tag) {
    case TypeTag::Enum:
      return "enum(" + words() + ")";
    case TypeTag::Ref:
      return "ref(" + words() + ")";
    case TypeTag::Engine:
      return "engine(" + words() + ")";
    case TypeTag::List:
      return "list(" + inner() + ")";
    case TypeTag::Map:
      return "map(" + inner() + ")";
    case TypeTag::Range:
      return "range(" + inner() + ")";
    case TypeTag::Chain:
      return "chain(" + inner() + ")";
    case TypeTag::OneOf:
      return "one_of(" + inner() + ")";
    default:
      return scalar(tag)->name;
  }
}

std::string Type::describe() const {
  switch (tag) {
    case TypeTag::Enum:
      return "one of " + quoted_list(symbols, " or ");
    case TypeTag::Ref: {
      std::string kinds;
      for (std::size_t k = 0; k < symbols.size(); ++k)
        kinds += (k ? (k + 1 == symbols.size() ? " or " : ", ") : "") + symbols[k];
      return "a reference to a " + kinds;
    }
    case TypeTag::Engine: {
      // A version each engine really has, for the example.
      static const std::pair<const char*, const char*> kExamples[] = {
          {"postgres", "16"}, {"mysql", "8.0"}, {"redis", "7"}, {"valkey", "8"}, {"kafka", "3.7"}};
      std::string example = symbols.front();
      for (const auto& [engine, version] : kExamples)
        if (symbols.front() == engine) example += std::string(" ") + version;
      return "an engine (" + quoted_list(symbols, " or ") + "), optionally with a version, such as `" + example + "`";
    }
    case TypeTag::List:
      return "a list of " + args[0].spelling();
    case TypeTag::Map:
      return "a map `{ key = value }` of " + args[0].spelling();
    case TypeTag::Range:
      return "a range `low .. high` of " + args[0].spelling();
    case TypeTag::Chain:
      return "a chain `a -> b` of " + args[0].spelling();
    case TypeTag::OneOf: {
      std::string out;
      for (std::size_t k = 0; k < args.size(); ++k)
        out += (k ? (k + 1 == args.size() ? " or " : ", ") : "") + args[k].describe();
      return out;
    }
    default:
      return scalar(tag)->description;
  }
}

std::optional<Type> parse_type(const ast::Expr& e, std::string& error) {
  if (const std::string* w = bare_word(e)) {
    for (const auto& s : kScalars)
      if (*w == s.name) return Type{s.tag, {}, {}};
    error = fmt::format("unknown type `{}`", *w);
    return std::nullopt;
  }
  auto* call = e.as<ast::CallExpr>();
  if (!call) {
    error = "a type is a bare word such as `size` or a call such as `list(string)`";
    return std::nullopt;
  }
  const std::string& f = call->callee.name;
  Type t;
  if (f == "enum" || f == "ref" || f == "engine") {
    t.tag = f == "enum" ? TypeTag::Enum : f == "ref" ? TypeTag::Ref : TypeTag::Engine;
    for (const auto& a : call->args) {
      const std::string* w = a.name ? nullptr : bare_word(*a.value);
      if (!w) {
        error = fmt::format("`{}(…)` takes bare words", f);
        return std::nullopt;
      }
      t.symbols.push_back(*w);
    }
    if (t.symbols.empty()) {
      error = fmt::format("`{}(…)` needs at least one word", f);
      return std::nullopt;
    }
    return t;
  }
  static const std::pair<const char*, TypeTag> kCtors[] = {{"list", TypeTag::List},
                                                           {"map", TypeTag::Map},
                                                           {"range", TypeTag::Range},
                                                           {"chain", TypeTag::Chain},
                                                           {"one_of", TypeTag::OneOf}};
  for (const auto& [name, tag] : kCtors) {
    if (f != name) continue;
    t.tag = tag;
    for (const auto& a : call->args) {
      auto inner = parse_type(*a.value, error);
      if (!inner) return std::nullopt;
      t.args.push_back(std::move(*inner));
    }
    std::size_t want = tag == TypeTag::OneOf ? 2 : 1;
    if (tag == TypeTag::OneOf ? t.args.size() < want : t.args.size() != want) {
      error = fmt::format("`{}(…)` takes {} type{}", f, tag == TypeTag::OneOf ? "at least two" : "one",
                          tag == TypeTag::OneOf ? "s" : "");
      return std::nullopt;
    }
    return t;
  }
  error = fmt::format("unknown type constructor `{}`", f);
  return std::nullopt;
}

}  // namespace platc::sema
