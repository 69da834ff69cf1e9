// Shared pieces of the parser's implementation. Included only by compiler/parse/*.cpp: this is
// the one place outside generated code where ANTLR types appear.
#pragma once

#include <antlr4-runtime.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "PlatLexer.h"
#include "PlatParser.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/parse/parser.h"

namespace platc::parse {

using platc_gen::PlatLexer;
using platc_gen::PlatParser;

// The exact range of a token, including tokens that span lines (multi-line strings).
SourceRange token_range(FileId file, const antlr4::Token* t);
// A one-column range right after `t` (where carets point at something missing).
SourceRange after_token(FileId file, const antlr4::Token* t);
// The empty range right after `t`: where a fix-it inserts text.
SourceRange insertion_after(FileId file, const antlr4::Token* t);
SourceRange context_range(FileId file, antlr4::ParserRuleContext* ctx);

// How a message names a token: "`=`", "identifier `foo`", "end of file".
std::string describe_token(const antlr4::Token* t);
// How a message names an expected token type: "`}`", "a name".
std::string describe_token_type(std::size_t type);

// The state shared by one file's parse: where diagnostics go, its limits, and the error budget.
struct ParseContext {
  const SourceManager& sources;
  FileId file;
  const Limits& limits;
  Diagnostics& diags;
  std::size_t syntax_errors = 0;
  // Comments collected from every token stream of this file (interpolations have none).
  std::vector<ast::Comment> comments;
};

// Recovers like ANTLR's default strategy but reports in plain words through our diagnostics.
class PlatErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit PlatErrorStrategy(ParseContext& ctx) : ctx_(ctx) {}

 protected:
  void reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* recognizer, const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* recognizer) override;
  void reportMissingToken(antlr4::Parser* recognizer) override;

 private:
  void report(antlr4::Parser* recognizer, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected,
              antlr4::ParserRuleContext* where, bool unwanted);
  void emit(Diagnostic d);
  ParseContext& ctx_;
};

// Lexes, checks and parses `text` (a whole file, or the inside of an interpolation that starts
// at line/col). Returns nullptr when the input was rejected before parsing (too deep, too many
// tokens). The returned holder keeps the ANTLR objects alive while the AST is built.
struct AntlrParse {
  std::unique_ptr<antlr4::ANTLRInputStream> input;
  std::unique_ptr<PlatLexer> lexer;
  std::unique_ptr<antlr4::ListTokenSource> source;
  std::unique_ptr<antlr4::CommonTokenStream> tokens;
  std::unique_ptr<PlatParser> parser;
  antlr4::ParserRuleContext* tree = nullptr;
};
enum class EntryRule { File, Interpolation };
// With `on_item`, a File parse first tries the fast path: SLL, one top-level item at a time, each
// handed to `on_item` and its parse tree freed right after, so memory stays bounded by the largest
// item. If the fast path meets an error, `on_restart` is called (drop what `on_item` built) and
// the whole file is parsed again with full LL and recovery; the tree is then returned in `tree`.
using ItemCallback = std::function<void(PlatParser::TopLevelContext*)>;
std::unique_ptr<AntlrParse> run_antlr(ParseContext& ctx, const std::string& text, std::size_t line,
                                      std::size_t col, EntryRule rule, const ItemCallback& on_item = {},
                                      const std::function<void()>& on_restart = {});

// Tree → AST.
ast::File build_file_ast(ParseContext& ctx, PlatParser::FileContext* tree);
void build_top_level_ast(ParseContext& ctx, PlatParser::TopLevelContext* tree, ast::File& out);
ast::ExprPtr build_expr_ast(ParseContext& ctx, PlatParser::ExprContext* tree);

// String literal token → StringLit, decoding escapes and parsing interpolations.
ast::StringLit decode_string(ParseContext& ctx, const antlr4::Token* token);

}  // namespace platc::parse
