#include "compiler/sema/check_value.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/ast/literals.h"
#include "compiler/sema/formats.h"
#include "compiler/support/cidr.h"
#include "compiler/support/names.h"

namespace platc::sema {

using graph::Value;
using graph::ValueKind;

namespace {

const ast::Expr& unparen(const ast::Expr& e) {
  if (auto* p = e.as<ast::ParenExpr>()) return unparen(*p->inner);
  return e;
}

const std::string* bare_word(const ast::Expr& e) {
  auto* r = e.as<ast::RefExpr>();
  if (!r || r->path.size() != 1) return nullptr;
  return &r->path[0].name;
}

Value make(ValueKind k, const SourceRange& r) {
  Value v;
  v.kind = k;
  v.range = r;
  return v;
}

// What a quantity's unit makes it, for E0407: "a size", "a duration".
std::string unit_found(const ast::Quantity& q) {
  if (q.millicores && q.seconds) return "a CPU quantity in millicores (or a duration in minutes)";
  if (q.bytes) return "a size";
  if (q.seconds) return "a duration";
  if (q.millicores) return "a CPU quantity";
  if (q.percent) return "a percentage";
  return "a quantity";
}

std::string article_kind(const KindSchema* k) {
  return k ? k->name : "resource";
}

// A range with host bits set is what the writer meant, only misspelled: offer the network's
// address, which the clouds' firewalls insist on.
void cidr_help(Diagnostic& d, const std::string& text, const SourceRange& where) {
  std::string network = cidr_network(text);
  if (network != text && cidr_problem(text).empty()) {
    d.with_help(fmt::format("the range is `{}`", network)).fix(where, fmt::format("\"{}\"", network));
    return;
  }
  d.with_help("write an address and a prefix length, such as `\"203.0.113.0/24\"` or `\"2001:db8::/32\"`");
}

}  // namespace

std::string describe_found(const ast::Expr& e0, const NameTable* names) {
  const ast::Expr& e = unparen(e0);
  return std::visit(
      [&](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::BoolLit>)
          return fmt::format("`{}`", n.value ? "true" : "false");
        else if constexpr (std::is_same_v<T, ast::NumberLit>)
          return fmt::format("the number `{}`", n.text);
        else if constexpr (std::is_same_v<T, ast::QuantityLit>) {
          if (n.q.bytes) return fmt::format("the size `{}`", n.q.text);
          if (n.q.millicores && n.q.seconds) return fmt::format("`{}` (CPU millicores or minutes)", n.q.text);
          if (n.q.seconds) return fmt::format("the duration `{}`", n.q.text);
          if (n.q.percent) return fmt::format("the percentage `{}`", n.q.text);
          return fmt::format("`{}`", n.q.text);
        } else if constexpr (std::is_same_v<T, ast::VersionLit>)
          return fmt::format("the version `{}`", n.text);
        else if constexpr (std::is_same_v<T, ast::StringLit>)
          return "a string";
        else if constexpr (std::is_same_v<T, ast::EngineLit>)
          return fmt::format("the engine `{} {}`", n.engine.name, n.version);
        else if constexpr (std::is_same_v<T, ast::RefExpr>) {
          const Declared* d = names ? names->find(n.path[0].name) : nullptr;
          if (d && n.path.size() == 1) return fmt::format("a reference to {} `{}`", article_kind(d->schema), d->name);
          if (d)
            return fmt::format("the output `{}` of {} `{}`", n.dotted().substr(d->name.size() + 1),
                               article_kind(d->schema), d->name);
          return fmt::format("`{}`", n.dotted());
        } else if constexpr (std::is_same_v<T, ast::CallExpr>)
          return fmt::format("a call `{}(…)`", n.callee.name);
        else if constexpr (std::is_same_v<T, ast::ListExpr>)
          return "a list";
        else if constexpr (std::is_same_v<T, ast::MapExpr>)
          return "a map";
        else if constexpr (std::is_same_v<T, ast::RangeExpr>)
          return "a range";
        else if constexpr (std::is_same_v<T, ast::ChainExpr>)
          return "a chain";
        else if constexpr (std::is_same_v<T, ast::CompareExpr>)
          return "a comparison";
        else
          return "an invalid value";
      },
      e.node);
}

int compare_values(const Value& a, const Value& b) {
  switch (a.kind) {
    case ValueKind::Int:
    case ValueKind::Size:
    case ValueKind::Duration:
    case ValueKind::Cpu:
      return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    case ValueKind::Number:
    case ValueKind::Percent: {
      // Bring both to the larger scale; 128-bit so the widening cannot overflow.
      __int128 x = a.dec.mantissa, y = b.dec.mantissa;
      for (auto s = a.dec.scale; s < b.dec.scale; ++s) x *= 10;
      for (auto s = b.dec.scale; s < a.dec.scale; ++s) y *= 10;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return 0;
  }
}

void ValueChecker::mismatch(const ast::Expr& e, const Type& t) {
  diags_.report(DiagKind::TypeMismatch, e.range, attr_, t.describe(), describe_found(e, names_))
      .label(fmt::format("expected {}", t.spelling()));
}

std::optional<Value> ValueChecker::check(const ast::Expr& e, const Type& t, const std::string& attr) {
  attr_ = attr;
  return check_inner(e, t);
}

std::optional<Value> ValueChecker::check_inner(const ast::Expr& e0, const Type& t) {
  const ast::Expr& e = unparen(e0);
  if (e.as<ast::ErrorExpr>()) return std::nullopt;  // already reported by the parser
  switch (t.tag) {
    case TypeTag::OneOf:
      return one_of(e, t);
    case TypeTag::Bool:
      if (auto* b = e.as<ast::BoolLit>()) {
        Value v = make(ValueKind::Bool, e.range);
        v.b = b->value;
        return v;
      }
      mismatch(e, t);
      return std::nullopt;
    case TypeTag::Int:
    case TypeTag::Number:
    case TypeTag::Port:
    case TypeTag::Size:
    case TypeTag::Duration:
    case TypeTag::Cpu:
    case TypeTag::Percent:
      return quantity(e, t);
    case TypeTag::String:
    case TypeTag::Cron:
    case TypeTag::Url:
    case TypeTag::Host:
    case TypeTag::Cidr:
    case TypeTag::Path:
    case TypeTag::Email:
    case TypeTag::Date:
    case TypeTag::Region:
    case TypeTag::Version:
      return string(e, t);
    case TypeTag::Image:
      if (e.as<ast::CallExpr>()) return call(e, t);
      return string(e, t);
    case TypeTag::EnvValue:
      if (auto* n = e.as<ast::NumberLit>()) {
        Value v = make(ValueKind::String, e.range);
        v.pieces.push_back({n->text, "", ""});
        return v;
      }
      if (auto* b = e.as<ast::BoolLit>()) {
        Value v = make(ValueKind::String, e.range);
        v.pieces.push_back({b->value ? "true" : "false", "", ""});
        return v;
      }
      if (e.as<ast::StringLit>()) return string(e, t);
      if (e.as<ast::RefExpr>()) return reference(e, t);
      mismatch(e, t);
      return std::nullopt;
    case TypeTag::Secret:
    case TypeTag::Ref:
      return reference(e, t);
    case TypeTag::Trigger:
    case TypeTag::Scanner:
      return call(e, t);
    case TypeTag::Symbol:
    case TypeTag::Enum:
    case TypeTag::Engine:
      return symbol(e, t);
    case TypeTag::List:
    case TypeTag::Map:
    case TypeTag::Range:
    case TypeTag::Chain:
      return structured(e, t);
  }
  return std::nullopt;
}

std::optional<Value> ValueChecker::one_of(const ast::Expr& e, const Type& t) {
  // Try each alternative quietly; the first that checks without an error wins.
  for (const auto& alt : t.args) {
    Diagnostics scratch;
    ValueChecker probe(scratch, names_);
    probe.attr_ = attr_;
    auto v = probe.check_inner(e, alt);
    if (v && !scratch.has_errors()) return v;
  }
  // None fits: report as the alternative of the same shape would, else a plain mismatch. A string
  // for `one_of(path, bool)` gets the path's own message (`a path starts with /`).
  auto text_type = [](const Type& alt) {
    for (TypeTag tag : {TypeTag::String, TypeTag::Path, TypeTag::Url, TypeTag::Host, TypeTag::Cidr, TypeTag::Email,
                        TypeTag::Date, TypeTag::Region, TypeTag::Version, TypeTag::Cron})
      if (alt.is(tag)) return true;
    return false;
  };
  std::size_t text_alternatives = std::count_if(t.args.begin(), t.args.end(), text_type);
  for (const auto& alt : t.args) {
    bool list_shape = alt.is(TypeTag::List) == (e.as<ast::ListExpr>() != nullptr);
    bool call_shape = (alt.is(TypeTag::Trigger) || alt.is(TypeTag::Scanner)) && e.as<ast::CallExpr>();
    bool text_shape = text_alternatives == 1 && text_type(alt) && e.as<ast::StringLit>();
    if ((alt.is(TypeTag::List) && list_shape) || call_shape || text_shape) return check_inner(e, alt);
  }
  mismatch(e, t);
  return std::nullopt;
}

std::optional<Value> ValueChecker::quantity(const ast::Expr& e, const Type& t) {
  auto* num = e.as<ast::NumberLit>();
  auto* qty = e.as<ast::QuantityLit>();
  if (!num && !qty) {
    // An output such as `api.port`; a bare word that names no resource is just a wrong value.
    const std::string* w = bare_word(e);
    if ((t.is(TypeTag::Port) || t.is(TypeTag::Int)) && e.as<ast::RefExpr>() && !(w && (!names_ || !names_->find(*w))))
      return reference(e, t);
    std::size_t kept = diags_.items().size();
    mismatch(e, t);
    // `replicas = "2"`: the quotes make it text. (Past Diagnostics::kMaxKeptErrors the mismatch is
    // only counted, and the last diagnostic kept is another one.)
    auto* s = e.as<ast::StringLit>();
    auto plain = s ? s->plain() : std::nullopt;
    if (diags_.items().size() > kept && plain && !plain->empty() &&
        plain->find_first_not_of("0123456789.-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%") ==
            std::string::npos &&
        std::isdigit(static_cast<unsigned char>(plain->front())))
      diags_.items().back().with_help(fmt::format("write it without quotes: `{}`", *plain)).fix(e.range, *plain);
    return std::nullopt;
  }
  std::string text = num ? num->text : qty->q.text;
  if (e.negated) text = "-" + text;
  switch (t.tag) {
    case TypeTag::Int:
    case TypeTag::Port: {
      if (!num) break;
      if (!num->value.is_integer()) {
        diags_.report(DiagKind::TypeMismatch, e.range, attr_, t.describe(), fmt::format("the fraction `{}`", text))
            .label("not a whole number");
        return std::nullopt;
      }
      Value v = make(ValueKind::Int, e.range);
      v.i = num->value.mantissa;
      if (t.is(TypeTag::Port) && (v.i < 1 || v.i > 65535)) {
        diags_.report(DiagKind::OutOfRange, e.range, text, attr_, "a port is between 1 and 65535")
            .label("not a port number");
        return std::nullopt;
      }
      return v;
    }
    case TypeTag::Number: {
      if (!num) break;
      Value v = make(ValueKind::Number, e.range);
      v.dec = num->value;
      return v;
    }
    case TypeTag::Size:
    case TypeTag::Duration:
    case TypeTag::Cpu:
    case TypeTag::Percent: {
      if (num) {
        if (t.is(TypeTag::Cpu)) {
          // A plain number of CPUs: `2`, `0.5`. Kubernetes' smallest unit is 1m.
          auto milli = ast::scale_round_up(num->value, 1000);
          if (!milli) {
            diags_.report(DiagKind::OutOfRange, e.range, text, attr_, "too many CPUs");
            return std::nullopt;
          }
          Value v = make(ValueKind::Cpu, e.range);
          v.i = *milli;
          if (v.i < 0) {
            diags_.report(DiagKind::OutOfRange, e.range, text, attr_, "a CPU quantity cannot be negative");
            return std::nullopt;
          }
          return v;
        }
        const char* example = t.is(TypeTag::Size) ? "Mi" : t.is(TypeTag::Duration) ? "s" : "%";
        diags_.report(DiagKind::MissingUnit, e.range, attr_, text)
            .label(fmt::format("{} without a unit", text))
            .with_help(fmt::format("write it with a unit, for example `{}{}`", text, example))
            .fix(SourceRange{e.range.file, e.range.end_line, e.range.end_col, e.range.end_line, e.range.end_col},
                 example);
        return std::nullopt;
      }
      const ast::Quantity& q = qty->q;
      Value v;
      if (t.is(TypeTag::Size) && q.bytes)
        v = make(ValueKind::Size, e.range), v.i = *q.bytes;
      else if (t.is(TypeTag::Duration) && q.seconds)
        v = make(ValueKind::Duration, e.range), v.i = *q.seconds;
      else if (t.is(TypeTag::Cpu) && q.millicores)
        v = make(ValueKind::Cpu, e.range), v.i = *q.millicores;
      else if (t.is(TypeTag::Percent) && q.percent)
        v = make(ValueKind::Percent, e.range), v.dec = *q.percent;
      else {
        auto& d = diags_.report(DiagKind::WrongUnit, e.range, attr_, t.describe(), text, unit_found(qty->q))
                      .label(fmt::format("expected {}", t.spelling()));
        // `250m` meant as mebibytes: `m` is milli (CPU) or minutes, never a size.
        if (t.is(TypeTag::Size) && q.millicores && text.ends_with("m")) {
          std::string mebi = text.substr(0, text.size() - 1) + "Mi";
          d.with_help(fmt::format("`m` means millicores or minutes; for mebibytes write `{}`", mebi))
              .fix(e.range, mebi);
        }
        return std::nullopt;
      }
      if ((v.kind != ValueKind::Percent && v.i < 0) || (v.kind == ValueKind::Percent && v.dec.mantissa < 0)) {
        diags_.report(DiagKind::OutOfRange, e.range, text, attr_, "it cannot be negative");
        return std::nullopt;
      }
      return v;
    }
    default:
      break;
  }
  if (qty) {
    diags_.report(DiagKind::WrongUnit, e.range, attr_, t.describe(), text, unit_found(qty->q))
        .label(fmt::format("expected {}", t.spelling()));
    return std::nullopt;
  }
  mismatch(e, t);
  return std::nullopt;
}

std::optional<Value> ValueChecker::string(const ast::Expr& e, const Type& t) {
  auto* s = e.as<ast::StringLit>();
  if (!s) {
    if (t.is(TypeTag::Version)) {
      if (auto* n = e.as<ast::NumberLit>()) {
        Value v = make(ValueKind::String, e.range);
        v.pieces.push_back({n->text, "", ""});
        return v;
      }
      if (auto* ver = e.as<ast::VersionLit>()) {
        Value v = make(ValueKind::String, e.range);
        v.pieces.push_back({ver->text, "", ""});
        return v;
      }
    }
    // An output of another resource is fine where its type fits: `url = backend.url`.
    if (e.as<ast::RefExpr>() && !bare_word(e)) return reference(e, t);
    if (auto* w = bare_word(e); w && t.is(TypeTag::String) && names_ && !names_->find(*w)) {
      diags_.report(DiagKind::TypeMismatch, e.range, attr_, t.describe(), fmt::format("the bare word `{}`", *w))
          .label("not a string")
          .with_help(fmt::format("write it in quotes: `\"{}\"`", *w))
          .fix(e.range, fmt::format("\"{}\"", *w));
      return std::nullopt;
    }
    mismatch(e, t);
    return std::nullopt;
  }
  Value v = make(ValueKind::String, e.range);
  bool ok = true;
  for (const auto& part : s->parts) {
    if (!part.expr) {
      if (!v.pieces.empty() && v.pieces.back().ref_resource.empty())
        v.pieces.back().text += part.text;
      else
        v.pieces.push_back({part.text, "", ""});
      continue;
    }
    const ast::Expr& inner = unparen(*part.expr);
    auto* r = inner.as<ast::RefExpr>();
    if (!r) {
      diags_
          .report(DiagKind::TypeMismatch, inner.range, attr_, "a resource output such as `main.host` or `env.domain`",
                  describe_found(inner, names_))
          .label("cannot be interpolated");
      ok = false;
      continue;
    }
    auto ref = resolve_ref(*r, inner.range);
    if (!ref) {
      ok = false;
      continue;
    }
    if (ref->target_kind == "secret") {
      diags_.report(DiagKind::SecretInString, inner.range, ref->text)
          .label("a secret inside a string")
          .note(
              "a string is written into ConfigMaps, manifests and logs in clear text; a secret only ever "
              "travels as a reference to the cloud's secret store")
          .with_help(fmt::format("give the secret a key of its own, e.g. `{} = {}`, and let the application "
                                 "compose the string",
                                 "MY_VAR", ref->text));
      ok = false;
      continue;
    }
    if (ref->text2.empty()) {
      diags_
          .report(DiagKind::WrongReferenceKind, inner.range, attr_, "an output such as `" + ref->text + ".name`",
                  describe_found(inner, names_))
          .label("a whole resource cannot be written into a string")
          .with_help(fmt::format("name one of its outputs, for example `${{{}.name}}`", ref->text));
      ok = false;
      continue;
    }
    v.pieces.push_back({"", ref->text, ref->text2});
  }
  if (!ok) return std::nullopt;
  if (v.pieces.empty()) v.pieces.push_back({"", "", ""});
  if (std::string problem = format_problem(t.tag, v); !problem.empty()) {
    if (t.is(TypeTag::Cron))
      diags_.report(DiagKind::InvalidCron, e.range, v.plain(), problem)
          .label("not a cron schedule")
          .note(
              "a schedule is five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12) and "
              "day of week (0-7), such as `\"*/15 * * * *\"`");
    else if (t.is(TypeTag::Cidr))
      cidr_help(diags_.report(DiagKind::InvalidFormat, e.range, v.plain(), t.spelling(), problem).label(problem),
                v.plain(), e.range);
    else
      diags_.report(DiagKind::InvalidFormat, e.range, v.plain(), t.spelling(), problem).label(problem);
    return std::nullopt;
  }
  return v;
}

std::optional<Value> ValueChecker::resolve_ref(const ast::RefExpr& r, const SourceRange& where) {
  const std::string& head = r.path[0].name;
  const KindSchema* schema = nullptr;
  std::string kind_name;
  if (head == "env" && names_ && !names_->find("env")) {
    schema = names_->environment_schema();
    kind_name = "environment";
  } else {
    const Declared* d = names_ ? names_->find(head) : nullptr;
    if (!d) {
      auto& diag = diags_.report(DiagKind::UnknownReference, r.path[0].range, head).label("not declared");
      std::vector<std::string> candidates = names_ ? names_->names() : std::vector<std::string>{};
      if (names_) candidates.push_back("env");
      if (auto best = closest_match(head, candidates)) {
        diag.with_help(fmt::format("did you mean `{}`?", *best)).fix(r.path[0].range, *best);
      }
      return std::nullopt;
    }
    schema = d->schema;
    kind_name = d->schema ? d->schema->name : "";
  }
  Value v = make(ValueKind::Ref, where);
  v.text = head;
  v.target_kind = kind_name;
  if (r.path.size() == 1) return v;
  const std::string& out = r.path[1].name;
  if (!schema || !schema->output(out) || r.path.size() > 2) {
    SourceRange bad = r.path.size() > 2 && schema && schema->output(out)
                          ? SourceRange::cover(r.path[2].range, r.path.back().range)
                          : r.path[1].range;
    std::string what = head == "env" ? "the environment" : fmt::format("{} `{}`", kind_name, head);
    auto& diag = diags_.report(DiagKind::UnknownOutput, bad, what,
                               r.path.size() > 2 && schema && schema->output(out) ? out + "." + r.path[2].name : out);
    diag.label("no such output");
    if (schema) {
      if (auto best = closest_match(out, schema->output_names()))
        diag.with_help(fmt::format("did you mean `{}.{}`?", head, *best)).fix(r.path[1].range, *best);
      else
        diag.note(fmt::format("{} `{}` has the outputs {}", kind_name, head, [&] {
          std::string list;
          for (const auto& n : schema->output_names()) list += (list.empty() ? "`" : ", `") + n + "`";
          return list;
        }()));
    }
    return std::nullopt;
  }
  v.text2 = out;
  return v;
}

std::optional<Value> ValueChecker::reference(const ast::Expr& e, const Type& t) {
  auto* r = e.as<ast::RefExpr>();
  if (!r) {
    if (t.is(TypeTag::Secret) && e.as<ast::StringLit>()) {
      diags_.report(DiagKind::LiteralAsSecret, e.range, attr_)
          .label("a literal value")
          .note("a secret names an entry in the cloud's secret store; its value is never written in a .plat file")
          .with_help("declare `secret NAME { store = \"path/in/the/store\" }` and write `NAME` here");
      return std::nullopt;
    }
    mismatch(e, t);
    return std::nullopt;
  }
  auto v = resolve_ref(*r, e.range);
  if (!v) return std::nullopt;
  const Declared* d = names_ ? names_->find(v->text) : nullptr;
  const KindSchema* target = d ? d->schema : (v->text == "env" && names_ ? names_->environment_schema() : nullptr);
  auto suggest_output = [&](const std::string& wanted, auto& diag) {
    if (!target) return;
    for (const auto& o : target->outputs)
      if (o.name == wanted) {
        diag.with_help(fmt::format("did you mean `{}.{}`?", v->text, wanted))
            .fix(e.range, fmt::format("{}.{}", v->text, wanted));
        return;
      }
  };
  switch (t.tag) {
    case TypeTag::Secret:
      if (v->text2.empty() && v->target_kind == "secret") return v;
      diags_.report(DiagKind::WrongReferenceKind, e.range, attr_, t.describe(), describe_found(e, names_))
          .label("not a secret");
      return std::nullopt;
    case TypeTag::Ref:
      if (v->text2.empty() && std::find(t.symbols.begin(), t.symbols.end(), v->target_kind) != t.symbols.end())
        return v;
      diags_.report(DiagKind::WrongReferenceKind, e.range, attr_, t.describe(), describe_found(e, names_))
          .label(fmt::format("expected {}", t.spelling()));
      return std::nullopt;
    case TypeTag::EnvValue: {
      if (!v->text2.empty() || v->target_kind == "secret") return v;
      auto& diag = diags_.report(DiagKind::WrongReferenceKind, e.range, attr_, t.describe(), describe_found(e, names_))
                       .label("a whole resource is not a value");
      suggest_output("url", diag);
      if (!diag.help) suggest_output("name", diag);
      return std::nullopt;
    }
    default: {
      // A typed position (url, host, port …): an output of the same type fits.
      const OutputSchema* out = target && !v->text2.empty() ? target->output(v->text2) : nullptr;
      if (out && (out->type.tag == t.tag || t.is(TypeTag::String))) return v;
      auto& diag = diags_.report(DiagKind::WrongReferenceKind, e.range, attr_, t.describe(), describe_found(e, names_))
                       .label(fmt::format("expected {}", t.spelling()));
      if (target)
        for (const auto& o : target->outputs)
          if (o.type.tag == t.tag) {
            diag.with_help(fmt::format("did you mean `{}.{}`?", v->text, o.name))
                .fix(e.range, fmt::format("{}.{}", v->text, o.name));
            break;
          }
      return std::nullopt;
    }
  }
}

std::optional<Value> ValueChecker::call(const ast::Expr& e, const Type& t) {
  struct Fn {
    const char* name;
    TypeTag for_type;
    const char* arg;  // "path" "branch" "pattern" "cron" "compare" "" (none)
  };
  static const Fn kFns[] = {
      {"build", TypeTag::Image, "path"},
      {"push", TypeTag::Trigger, "branch"},
      {"pull_request", TypeTag::Trigger, "branch"},
      {"tag", TypeTag::Trigger, "pattern"},
      {"schedule", TypeTag::Trigger, "cron"},
      {"manual", TypeTag::Trigger, ""},
      // Scanners take an optional severity threshold and named settings: `sonarqube(quality_gate = true)`.
      {"trivy", TypeTag::Scanner, "compare"},
      {"grype", TypeTag::Scanner, "compare"},
      {"snyk", TypeTag::Scanner, "compare"},
      {"sonarqube", TypeTag::Scanner, "compare"},
      {"gitguardian", TypeTag::Scanner, "compare"},
      {"gitleaks", TypeTag::Scanner, "compare"},
      {"semgrep", TypeTag::Scanner, "compare"},
      {"codeql", TypeTag::Scanner, "compare"},
      {"checkov", TypeTag::Scanner, "compare"},
      {"zap", TypeTag::Scanner, "compare"},
  };
  std::vector<std::string> names;
  for (const auto& f : kFns)
    if (f.for_type == t.tag) names.push_back(f.name);
  // `manual` and `trivy` may be written without parentheses.
  if (const std::string* w = bare_word(e)) {
    for (const auto& f : kFns)
      if (f.for_type == t.tag && *w == f.name && (std::string_view(f.arg).empty() || f.for_type == TypeTag::Scanner)) {
        Value v = make(ValueKind::Call, e.range);
        v.text = *w;
        return v;
      }
  }
  auto* c = e.as<ast::CallExpr>();
  if (!c) {
    mismatch(e, t);
    return std::nullopt;
  }
  const Fn* fn = nullptr;
  for (const auto& f : kFns)
    if (f.for_type == t.tag && c->callee.name == f.name) fn = &f;
  if (!fn) {
    auto& d =
        diags_
            .report(DiagKind::UnknownFunction, c->callee.range, c->callee.name, t.describe())
            .label("unknown here");
    if (auto best = closest_match(c->callee.name, names))
      d.with_help(fmt::format("did you mean `{}`?", *best)).fix(c->callee.range, *best);
    else
      d.note(fmt::format("`{}` accepts {}", attr_, t.describe()));
    return std::nullopt;
  }
  Value v = make(ValueKind::Call, e.range);
  v.text = fn->name;
  std::string_view arg = fn->arg;
  std::size_t positional = 0;
  for (const auto& a : c->args) {
    if (a.name && fn->for_type == TypeTag::Scanner) {
      // A scanner's own settings: plain literals, passed through to its action.
      const ast::Expr& x = unparen(*a.value);
      Value setting;
      if (auto* b = x.as<ast::BoolLit>())
        setting = make(ValueKind::Bool, x.range), setting.b = b->value;
      else if (auto* n = x.as<ast::NumberLit>())
        setting = make(ValueKind::Number, x.range), setting.dec = n->value;
      else if (const std::string* w = bare_word(x))
        setting = make(ValueKind::Symbol, x.range), setting.text = *w;
      else if (auto s = x.as<ast::StringLit>() ? string(x, Type{TypeTag::String, {}, {}}) : std::nullopt)
        setting = *s;
      else {
        diags_
            .report(DiagKind::BadScannerSetting, x.range, fn->name)
            .label("not a plain value");
        return std::nullopt;
      }
      v.entries.emplace_back(a.name->name, std::move(setting));
      continue;
    }
    if (a.name) {
      // build("./api", dockerfile = "Dockerfile.prod", target = "runtime")
      if (fn->for_type != TypeTag::Image || (a.name->name != "dockerfile" && a.name->name != "target")) {
        diags_
            .report(DiagKind::UnknownCallArgument, a.name->range, fn->name, a.name->name)
            .label("unknown argument");
        return std::nullopt;
      }
      auto s = string(*a.value, Type{TypeTag::String, {}, {}});
      if (!s) return std::nullopt;
      v.entries.emplace_back(a.name->name, std::move(*s));
      continue;
    }
    ++positional;
    const ast::Expr& x = unparen(*a.value);
    if (arg == "compare") {
      auto* cmp = x.as<ast::CompareExpr>();
      const std::string* lhs = cmp ? bare_word(unparen(*cmp->lhs)) : nullptr;
      const std::string* rhs = cmp ? bare_word(unparen(*cmp->rhs)) : nullptr;
      static const std::vector<std::string> kLevels = {"low", "medium", "high", "critical"};
      if (!lhs || *lhs != "severity" || !rhs) {
        diags_
            .report(DiagKind::BadSeverityThreshold, x.range, fn->name)
            .label("not a severity threshold");
        return std::nullopt;
      }
      if (std::find(kLevels.begin(), kLevels.end(), *rhs) == kLevels.end()) {
        auto& d = diags_.report(DiagKind::UnknownSymbol, cmp->rhs->range, *rhs, "severity")
                      .label("not a severity")
                      .note("severities are `low`, `medium`, `high` and `critical`");
        if (auto best = closest_match(*rhs, kLevels))
          d.with_help(fmt::format("did you mean `{}`?", *best)).fix(cmp->rhs->range, *best);
        return std::nullopt;
      }
      Value cv = make(ValueKind::Compare, x.range);
      cv.text = ast::compare_op_text(cmp->op);
      Value l = make(ValueKind::Symbol, cmp->lhs->range);
      l.text = *lhs;
      Value r = make(ValueKind::Symbol, cmp->rhs->range);
      r.text = *rhs;
      cv.items = {std::move(l), std::move(r)};
      v.items.push_back(std::move(cv));
      continue;
    }
    if (arg == "branch") {
      // A branch name: a bare word (`push(main)`, not the database `main`) or a string.
      if (const std::string* w = bare_word(x)) {
        Value s = make(ValueKind::Symbol, x.range);
        s.text = *w;
        v.items.push_back(std::move(s));
        continue;
      }
    }
    Type want{arg == "cron" ? TypeTag::Cron : TypeTag::String, {}, {}};
    if (arg.empty()) {
      diags_.report(DiagKind::CallTakesNoArguments, x.range, fn->name).label("unexpected");
      return std::nullopt;
    }
    auto s = string(x, want);
    if (!s) return std::nullopt;
    if (arg == "path" && !s->plain().starts_with("./") && !s->plain().starts_with("../") && s->plain() != ".") {
      diags_
          .report(DiagKind::BuildPathNotRelative, x.range)
          .label("not a relative directory");
      return std::nullopt;
    }
    v.items.push_back(std::move(*s));
  }
  if (!arg.empty() && (arg == "compare" ? positional > 1 : positional != 1)) {
    diags_
        .report(DiagKind::CallArgumentCount, e.range, fn->name,
                arg == "compare" ? "severity threshold" : std::string(arg))
        .label(fmt::format("{} argument{}", positional, positional == 1 ? "" : "s"));
    return std::nullopt;
  }
  return v;
}

std::optional<Value> ValueChecker::symbol(const ast::Expr& e, const Type& t) {
  if (t.is(TypeTag::Engine)) {
    if (auto* en = e.as<ast::EngineLit>()) {
      if (std::find(t.symbols.begin(), t.symbols.end(), en->engine.name) == t.symbols.end()) {
        auto& d = diags_.report(DiagKind::UnknownSymbol, en->engine.range, en->engine.name, attr_)
                      .label("unsupported engine")
                      .note(fmt::format("`{}` accepts {}", attr_, t.describe()));
        if (auto best = closest_match(en->engine.name, t.symbols))
          d.with_help(fmt::format("did you mean `{}`?", *best)).fix(en->engine.range, *best);
        return std::nullopt;
      }
      Value v = make(ValueKind::Engine, e.range);
      v.text = en->engine.name;
      v.text2 = en->version;
      return v;
    }
  }
  const std::string* w = bare_word(e);
  if (!w) {
    auto* s = e.as<ast::StringLit>();
    auto plain = s ? s->plain() : std::nullopt;
    if (plain && std::find(t.symbols.begin(), t.symbols.end(), *plain) != t.symbols.end()) {
      diags_.report(DiagKind::TypeMismatch, e.range, attr_, t.describe(), "a string")
          .label("quoted")
          .with_help(fmt::format("write the word without quotes: `{}`", *plain))
          .fix(e.range, *plain);
      return std::nullopt;
    }
    mismatch(e, t);
    return std::nullopt;
  }
  if (t.is(TypeTag::Symbol)) {
    Value v = make(ValueKind::Symbol, e.range);
    v.text = *w;
    return v;
  }
  if (std::find(t.symbols.begin(), t.symbols.end(), *w) == t.symbols.end()) {
    auto& d = diags_.report(DiagKind::UnknownSymbol, e.range, *w, attr_).label("unknown value");
    d.note(fmt::format("`{}` accepts {}", attr_, t.describe()));
    if (auto best = closest_match(*w, t.symbols))
      d.with_help(fmt::format("did you mean `{}`?", *best)).fix(e.range, *best);
    return std::nullopt;
  }
  Value v = make(t.is(TypeTag::Engine) ? ValueKind::Engine : ValueKind::Symbol, e.range);
  v.text = *w;
  return v;
}

std::optional<Value> ValueChecker::structured(const ast::Expr& e, const Type& t) {
  const Type& elem = t.args[0];
  switch (t.tag) {
    case TypeTag::List: {
      auto* l = e.as<ast::ListExpr>();
      if (!l) {
        mismatch(e, t);
        return std::nullopt;
      }
      Value v = make(ValueKind::List, e.range);
      bool ok = true;
      for (const auto& item : l->items) {
        auto x = check_inner(*item, elem);
        if (x)
          v.items.push_back(std::move(*x));
        else
          ok = false;
      }
      return ok ? std::optional<Value>(std::move(v)) : std::nullopt;
    }
    case TypeTag::Map: {
      auto* m = e.as<ast::MapExpr>();
      if (!m) {
        mismatch(e, t);
        return std::nullopt;
      }
      Value v = make(ValueKind::Map, e.range);
      bool ok = true;
      for (const auto& entry : m->entries) {
        for (const auto& [k, _] : v.entries)
          if (k == entry.key.name) {
            diags_.report(DiagKind::DuplicateAttribute, entry.key.range, entry.key.name, "this map")
                .label("set again here");
            ok = false;
          }
        auto x = check_inner(*entry.value, elem);
        if (x) {
          v.entries.emplace_back(entry.key.name, std::move(*x));
          v.key_ranges.push_back(entry.key.range);
        }
        else
          ok = false;
      }
      return ok ? std::optional<Value>(std::move(v)) : std::nullopt;
    }
    case TypeTag::Range: {
      auto* r = e.as<ast::RangeExpr>();
      Value v = make(ValueKind::Range, e.range);
      if (!r) {
        // One value means request = limit.
        auto x = check_inner(e, elem);
        if (!x) return std::nullopt;
        v.items = {*x, *x};
        return v;
      }
      auto lo = check_inner(*r->low, elem);
      auto hi = check_inner(*r->high, elem);
      if (!lo || !hi) return std::nullopt;
      if (compare_values(*lo, *hi) > 0) {
        diags_.report(DiagKind::InvertedRange, e.range, attr_, lo->display(), hi->display())
            .label("low end first, then high end")
            .note("for resources, the low end is the request (what the scheduler reserves) and the high end the limit")
            .with_help(fmt::format("write `{} .. {}`", hi->display(), lo->display()));
        return std::nullopt;
      }
      v.items = {std::move(*lo), std::move(*hi)};
      return v;
    }
    case TypeTag::Chain: {
      Value v = make(ValueKind::Chain, e.range);
      auto* c = e.as<ast::ChainExpr>();
      if (!c) {
        auto x = check_inner(e, elem);
        if (!x) return std::nullopt;
        v.items.push_back(std::move(*x));
        return v;
      }
      bool ok = true;
      for (const auto& step : c->steps) {
        auto x = check_inner(*step, elem);
        if (!x) {
          ok = false;
          continue;
        }
        for (const auto& seen : v.items)
          if (seen.same(*x)) {
            diags_.report(DiagKind::DuplicateAttribute, step->range, x->display(), "this chain")
                .label("appears again")
                .also(seen.range, "first here");
            ok = false;
          }
        v.items.push_back(std::move(*x));
      }
      return ok ? std::optional<Value>(std::move(v)) : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

void ValueChecker::check_bounds(const Value& v, const AttrSchema& a) {
  auto check_one = [&](const Value& x) {
    if (a.min && x.kind == a.min->kind && compare_values(x, *a.min) < 0) {
      diags_
          .report(DiagKind::OutOfRange, x.range, x.display(), a.name,
                  fmt::format("the minimum is {}", a.min->display()))
          .label(fmt::format("below {}", a.min->display()));
    } else if (a.max && x.kind == a.max->kind && compare_values(x, *a.max) > 0) {
      diags_
          .report(DiagKind::OutOfRange, x.range, x.display(), a.name,
                  fmt::format("the maximum is {}", a.max->display()))
          .label(fmt::format("above {}", a.max->display()));
    }
  };
  if (v.kind == ValueKind::Range || v.kind == ValueKind::List) {
    if (v.kind == ValueKind::Range && v.items.size() == 2 && v.items[0].range == v.items[1].range) {
      check_one(v.items[0]);
      return;
    }
    for (const auto& x : v.items) check_one(x);
  } else {
    check_one(v);
  }
}

}  // namespace platc::sema
