// platc_bench: how fast the front end turns a directory of .plat files into ASTs, and how much
// memory that takes, measured beside the floor: the ANTLR lexer alone over the same bytes.
//
//   platc_bench [--runs 5] [--warmup 1] [--stages lex,parse,mem] DIR
//
// Prints one JSON object on stdout (and a one-line summary per stage on stderr). Every stage runs
// in a fresh child process (this executable, re-executed with --child), so the peak RSS of one
// stage never includes another's. Inside the child the stage makes `warmup` untimed passes over
// all files and then `runs` timed ones; the report gives the median. Each pass handles one file at
// a time and drops that file's text, tokens, tree and AST before reading the next, as `platc` does
// per file, so nothing but ANTLR's shared caches carries over from file to file.
//
// Two clocks are kept per pass: wall time (steady_clock) and this thread's CPU time. The CPU time
// is the headline number: on a shared machine it does not count time the scheduler gave to other
// processes. Reading the files is never timed.
//
// Stages (see bench/README.md):
//   lex          the floor: ANTLRInputStream + PlatLexer, nextToken() until EOF, tokens discarded.
//   parse        the real front end: SourceManager::add + platc::parse::parse_file (byte checks,
//                lexing, pre-pass, SLL/LL parse, AST with typed literals, interpolations).
//   mem          parse once more with every heap allocation counted: per file the peak of live heap
//                bytes and what the ParseResult (the AST) holds; then, on the largest file, the
//                peak heap of each piece of the pipeline (input, tokens, tree, parse).
// Diagnostic stages, to find where the time goes (they reproduce parts of parse_file with the
// public ANTLR API; they are not the compiler's code). From `tokens` on they read the text through
// Utf32Input, as parse_file does since it stopped using ANTLRInputStream's std::wstring_convert:
//   input        ANTLRInputStream only (the UTF-8 → UTF-32 copy).
//   tokens       lex, keeping the tokens in a vector and handing them to a ListTokenSource and a
//                CommonTokenStream, as parse_file's pre-pass does (comments dropped).
//   tree         tokens + PlatParser::file() with SLL prediction and bail-out (LL retry on
//                failure), as parse_file does, without building our AST.
//   tree_direct  the same parse tree, but the parser pulls tokens straight from the lexer through
//                a CommonTokenStream (no token vector, no ListTokenSource).
//   recognize    tree_direct with setBuildParseTree(false): ANTLR's parser with no tree at all.
//   lex_bytes    the lexer over a CharStream that reads the UTF-8 bytes in place (valid for ASCII
//                files only): what the floor costs without the UTF-32 copy.
//   lex_u32      the lexer over Utf32Input: an ANTLRInputStream whose UTF-32 buffer is decoded
//                directly at its exact size, and whose getText() slices the UTF-8 source.
//   text, text_u32  lex, and ask every token for its text twice (getText(), as the AST builder and
//                token_range do), over ANTLRInputStream and over Utf32Input.
//   items        tree, but the parser is called once per top-level item (topLevel()) and the
//                parse tree is freed after each (ParseTreeTracker::reset()), as parse_file's SLL
//                path does: the tree's memory is bounded by the largest block, not the file.
//   items_stream items, but with no token vector: an UnbufferedTokenStream fed by a TokenSource
//                that drops comments on the fly; each item's tokens are kept (mark) only until its
//                tree is freed (release), so neither tokens nor tree grow with the file.
#include <antlr4-runtime.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "PlatLexer.h"
#include "PlatParser.h"
#include "compiler/driver/load.h"
#include "compiler/parse/parser.h"
#include "compiler/source/source.h"

// ---------------------------------------------------------------- heap accounting (mem stage)
// The global operator new/delete are replaced so the mem stage can count live heap bytes (the
// executable's definitions also serve the ANTLR runtime's shared library). Counting is off unless
// the mem stage turns it on at the very start of its child process, so the timed stages pay one
// predictable branch per allocation. Sizes are malloc_usable_size: what the allocator really gave.
namespace heap {
bool counting = false;
std::int64_t live = 0;
std::int64_t peak = 0;
std::uint64_t allocations = 0;

inline void on_alloc(void* p) {
  if (!counting || !p) return;
  live += static_cast<std::int64_t>(malloc_usable_size(p));
  ++allocations;
  if (live > peak) peak = live;
}
inline void on_free(void* p) {
  if (!counting || !p) return;
  live -= static_cast<std::int64_t>(malloc_usable_size(p));
}
inline void* alloc(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  on_alloc(p);
  return p;
}
inline void* alloc_aligned(std::size_t n, std::align_val_t a) {
  std::size_t al = static_cast<std::size_t>(a);
  if (al < sizeof(void*)) al = sizeof(void*);
  void* p = nullptr;
  if (posix_memalign(&p, al, n ? n : 1) != 0) throw std::bad_alloc();
  on_alloc(p);
  return p;
}
inline void release(void* p) {
  on_free(p);
  std::free(p);
}
}  // namespace heap

void* operator new(std::size_t n) { return heap::alloc(n); }
void* operator new[](std::size_t n) { return heap::alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return heap::alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return heap::alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t n, std::align_val_t a) { return heap::alloc_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return heap::alloc_aligned(n, a); }
void operator delete(void* p) noexcept { heap::release(p); }
void operator delete[](void* p) noexcept { heap::release(p); }
void operator delete(void* p, std::size_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::size_t) noexcept { heap::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { heap::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { heap::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { heap::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { heap::release(p); }

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using platc_gen::PlatLexer;
using platc_gen::PlatParser;

const char* const kAllStages[] = {"lex",         "parse",     "mem",       "input", "tokens",      "tree",
                                  "tree_direct", "recognize", "lex_bytes", "items", "items_stream",
                                  "lex_u32",     "text",      "text_u32"};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "platc_bench: cannot read %s\n", p.string().c_str());
    std::exit(3);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

// A value from /proc/self/status in bytes ("VmHWM:     1234 kB").
std::int64_t proc_status_bytes(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  std::size_t klen = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, klen, key) == 0 && line.size() > klen && line[klen] == ':')
      return std::atoll(line.c_str() + klen + 1) * 1024;
  }
  return -1;
}

// CPU time of this thread: unlike wall time it does not count the time the scheduler gives to
// other processes, which matters on a shared 2-core machine.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

class Silent : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t, size_t, const std::string&,
                   std::exception_ptr) override {}
};
Silent g_silent;

// A CharStream over UTF-8 bytes read in place: one symbol per byte, so it is exact only for ASCII
// text (the bench checks). It shows what the UTF-32 copy of ANTLRInputStream costs.
class ByteCharStream : public antlr4::CharStream {
 public:
  explicit ByteCharStream(const std::string& s) : s_(s) {}
  void consume() override {
    if (p_ >= s_.size()) throw antlr4::IllegalStateException("cannot consume EOF");
    ++p_;
  }
  size_t LA(ssize_t i) override {
    if (i == 0) return 0;
    ssize_t pos = i < 0 ? static_cast<ssize_t>(p_) + i : static_cast<ssize_t>(p_) + i - 1;
    if (pos < 0 || pos >= static_cast<ssize_t>(s_.size())) return antlr4::IntStream::EOF;
    return static_cast<unsigned char>(s_[static_cast<size_t>(pos)]);
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = std::min(index, s_.size()); }
  size_t size() override { return s_.size(); }
  std::string getSourceName() const override { return "bytes"; }
  std::string getText(const antlr4::misc::Interval& iv) override {
    if (iv.a < 0 || iv.b < iv.a) return {};
    size_t a = static_cast<size_t>(iv.a), b = std::min(static_cast<size_t>(iv.b), s_.size() - 1);
    if (a >= s_.size()) return {};
    return s_.substr(a, b - a + 1);
  }
  std::string toString() const override { return s_; }

 private:
  const std::string& s_;
  size_t p_ = 0;
};

// An ANTLRInputStream filled without std::wstring_convert: the UTF-8 text is decoded straight into
// an exactly sized UTF-32 buffer, and getText() slices the UTF-8 source (through a table of the
// byte offset of every 64th code point, so non-ASCII text works too).
class Utf32Input : public antlr4::ANTLRInputStream {
 public:
  explicit Utf32Input(const std::string& s) : ANTLRInputStream(std::string()), s_(s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    _data.resize(n);
    offsets_.reserve(n / 64 + 1);
    std::size_t i = 0, k = 0;
    while (i < s.size()) {
      if (k % 64 == 0) offsets_.push_back(i);
      unsigned char c = static_cast<unsigned char>(s[i]);
      char32_t cp;
      std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;  // input is valid UTF-8
      if (len == 1) cp = c;
      else {
        cp = c & (0xFF >> (len + 1));
        for (std::size_t j = 1; j < len && i + j < s.size(); ++j) cp = (cp << 6) | (s[i + j] & 0x3F);
      }
      _data[k++] = cp;
      i += len;
    }
    ascii_ = n == s.size();
  }
  std::string getText(const antlr4::misc::Interval& iv) override {
    if (iv.a < 0 || iv.b < iv.a) return {};
    std::size_t a = static_cast<std::size_t>(iv.a), b = static_cast<std::size_t>(iv.b);
    if (a >= _data.size()) return {};
    b = std::min(b, _data.size() - 1);
    std::size_t from = byte_of(a), to = byte_of(b + 1);
    return s_.substr(from, to - from);
  }

 private:
  std::size_t byte_of(std::size_t cp) const {
    if (ascii_) return cp;
    if (cp >= _data.size()) return s_.size();
    std::size_t i = offsets_[cp / 64];
    for (std::size_t k = cp / 64 * 64; k < cp; ++k) {
      unsigned char c = static_cast<unsigned char>(s_[i]);
      i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return i;
  }
  const std::string& s_;
  std::vector<std::size_t> offsets_;
  bool ascii_ = true;
};

bool is_ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// What one stage's pass over one file reports back besides its time.
struct Counts {
  std::uint64_t tokens = 0;
  std::uint64_t items = 0;        // top-level items in the AST
  std::uint64_t diagnostics = 0;  // must stay 0 on generated input
  std::uint64_t sll_failures = 0;
  std::uint64_t tree_nodes = 0;
  void add(const Counts& o) {
    tokens += o.tokens;
    items += o.items;
    diagnostics += o.diagnostics;
    sll_failures += o.sll_failures;
    tree_nodes += o.tree_nodes;
  }
};

std::uint64_t count_nodes(antlr4::tree::ParseTree* t) {
  std::uint64_t n = 1;
  for (auto* c : t->children) n += count_nodes(c);
  return n;
}

Counts lex_all(antlr4::CharStream& input) {
  Counts c;
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    if (t->getType() == antlr4::Token::EOF) break;
    ++c.tokens;
  }
  return c;
}

Counts stage_lex(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  return lex_all(input);
}

Counts stage_lex_bytes(const std::string& text) {
  ByteCharStream input(text);
  return lex_all(input);
}

Counts stage_lex_u32(const std::string& text) {
  Utf32Input input(text);
  return lex_all(input);
}

// Lexing plus two getText() per token: what the AST builder and token_range ask of each token.
Counts text_all(antlr4::CharStream& input) {
  Counts c;
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  std::size_t sum = 0;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    if (t->getType() == antlr4::Token::EOF) break;
    ++c.tokens;
    sum += t->getText().size();
    sum += t->getText().size();
  }
  c.tree_nodes = sum / 2;  // the text's bytes, for the record
  return c;
}

Counts stage_input(const std::string& text) {
  Counts c;
  antlr4::ANTLRInputStream input(text);
  c.tokens = input.size();  // code points, for the record
  return c;
}

// Lexes into a token vector as parse_file's pre-pass does: comments and bad characters dropped.
std::vector<std::unique_ptr<antlr4::Token>> lex_kept(PlatLexer& lexer, Counts& c) {
  std::vector<std::unique_ptr<antlr4::Token>> kept;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    std::size_t type = t->getType();
    if (type == antlr4::Token::EOF) {
      kept.push_back(std::move(t));
      break;
    }
    ++c.tokens;
    if (type == PlatLexer::COMMENT || type == PlatLexer::BAD_CHAR) continue;
    kept.push_back(std::move(t));
  }
  return kept;
}

Counts stage_tokens(const std::string& text) {
  Counts c;
  Utf32Input input(text);  // as parse_file: UTF-32 decoded once, at its exact size
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  antlr4::ListTokenSource source(lex_kept(lexer, c));
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  return c;
}

// SLL with bail-out, then LL with the default strategy on failure: parse_file's two stages.
void parse_tree(antlr4::TokenStream& tokens, Counts& c, bool build_tree = true) {
  PlatParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&g_silent);
  parser.setBuildParseTree(build_tree);
  auto* sim = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  sim->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  antlr4::ParserRuleContext* tree = nullptr;
  bool ok = false;
  try {
    tree = parser.file();
    ok = true;
  } catch (const antlr4::ParseCancellationException&) {
  } catch (const antlr4::RecognitionException&) {
  }
  if (!ok) {
    ++c.sll_failures;
    tokens.seek(0);
    parser.reset();
    sim->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    tree = parser.file();
  }
  if (tree && build_tree) c.tree_nodes = count_nodes(tree);
}

Counts stage_tree(const std::string& text) {
  Counts c;
  Utf32Input input(text);  // as parse_file: UTF-32 decoded once, at its exact size
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  antlr4::ListTokenSource source(lex_kept(lexer, c));
  antlr4::CommonTokenStream tokens(&source);
  parse_tree(tokens, c);
  return c;
}

Counts stage_tree_direct(const std::string& text, bool build_tree) {
  Counts c;
  Utf32Input input(text);  // as parse_file: UTF-32 decoded once, at its exact size
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  antlr4::CommonTokenStream tokens(&lexer);  // comments are on the hidden channel
  parse_tree(tokens, c, build_tree);
  c.tokens = tokens.size();
  return c;
}

// The lexer with the pre-pass done on the fly: comments and bad characters never reach the parser.
class FilterSource : public antlr4::TokenSource {
 public:
  explicit FilterSource(PlatLexer& lexer) : lexer_(lexer) {}
  std::unique_ptr<antlr4::Token> nextToken() override {
    for (;;) {
      std::unique_ptr<antlr4::Token> t = lexer_.nextToken();
      std::size_t type = t->getType();
      if (type == PlatLexer::COMMENT || type == PlatLexer::BAD_CHAR) continue;
      return t;
    }
  }
  size_t getLine() const override { return lexer_.getLine(); }
  size_t getCharPositionInLine() override { return lexer_.getCharPositionInLine(); }
  antlr4::CharStream* getInputStream() override { return lexer_.getInputStream(); }
  std::string getSourceName() override { return lexer_.getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override { return lexer_.getTokenFactory(); }

 private:
  PlatLexer& lexer_;
};

// One top-level item at a time, SLL only (the generated input is valid; a failure is counted).
// With `stream`, the item's tokens are held by a mark while its tree is alive and released after.
void parse_items(antlr4::TokenStream& tokens, Counts& c, bool stream) {
  PlatParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&g_silent);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    while (tokens.LA(1) != antlr4::Token::EOF) {
      ssize_t mark = stream ? tokens.mark() : 0;
      PlatParser::TopLevelContext* item = parser.topLevel();
      c.tree_nodes += count_nodes(item);  // stands in for building the item's AST
      parser.getTreeTracker().reset();
      if (stream) tokens.release(mark);
    }
  } catch (const antlr4::ParseCancellationException&) {
    ++c.sll_failures;
  } catch (const antlr4::RecognitionException&) {
    ++c.sll_failures;
  }
}

Counts stage_items(const std::string& text, bool stream) {
  Counts c;
  Utf32Input input(text);  // as parse_file: UTF-32 decoded once, at its exact size
  PlatLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&g_silent);
  if (stream) {
    FilterSource source(lexer);
    antlr4::UnbufferedTokenStream tokens(&source);
    parse_items(tokens, c, true);
  } else {
    antlr4::ListTokenSource source(lex_kept(lexer, c));  // parse_file's pre-pass vector
    antlr4::CommonTokenStream tokens(&source);
    parse_items(tokens, c, false);
  }
  return c;
}

Counts stage_parse(const fs::path& path, std::string text) {
  Counts c;
  platc::SourceManager sources;
  platc::FileId id = sources.add(path.string(), std::move(text));
  platc::parse::ParseResult r = platc::parse::parse_file(sources, id);
  c.items = r.file.items.size();
  c.diagnostics = r.diags.items().size();
  return c;
}

struct MemFile {
  std::int64_t bytes = 0;
  std::int64_t peak_heap = 0;    // peak live heap while handling this file, above the level before it
  std::int64_t ast_heap = 0;     // live heap held by the ParseResult (AST + comments + diags)
  std::int64_t source_heap = 0;  // live heap held by the SourceManager besides the moved-in text
};

MemFile stage_mem(const fs::path& path, std::string text, Counts& c) {
  MemFile m;
  m.bytes = static_cast<std::int64_t>(text.size());
  std::int64_t base = heap::live;
  heap::peak = heap::live;
  {
    platc::SourceManager sources;
    platc::FileId id = sources.add(path.string(), std::move(text));
    m.source_heap = heap::live - base;
    std::int64_t before_parse = heap::live;
    platc::parse::ParseResult r = platc::parse::parse_file(sources, id);
    m.ast_heap = heap::live - before_parse;
    c.items = r.file.items.size();
    c.diagnostics = r.diags.items().size();
  }
  m.peak_heap = heap::peak - base;
  return m;
}

// Peak live heap of `fn` above the level before it (the input text is allocated by the caller).
template <typename Fn>
std::int64_t peak_of(Fn fn) {
  std::int64_t base = heap::live;
  heap::peak = heap::live;
  fn();
  return heap::peak - base;
}

// One stage on one file. Returns false for an unknown stage.
bool stage_on_file(const std::string& stage, const fs::path& f, std::string text, Counts& c, MemFile& m) {
  if (stage == "lex") c = stage_lex(text);
  else if (stage == "lex_bytes") c = stage_lex_bytes(text);
  else if (stage == "lex_u32") c = stage_lex_u32(text);
  else if (stage == "input") c = stage_input(text);
  else if (stage == "text") {
    antlr4::ANTLRInputStream in(text);
    c = text_all(in);
  } else if (stage == "text_u32") {
    Utf32Input in(text);
    c = text_all(in);
  } else if (stage == "tokens") c = stage_tokens(text);
  else if (stage == "tree") c = stage_tree(text);
  else if (stage == "tree_direct") c = stage_tree_direct(text, true);
  else if (stage == "recognize") c = stage_tree_direct(text, false);
  else if (stage == "items") c = stage_items(text, false);
  else if (stage == "items_stream") c = stage_items(text, true);
  else if (stage == "parse") c = stage_parse(f, std::move(text));
  else if (stage == "mem") m = stage_mem(f, std::move(text), c);
  else return false;
  return true;
}

// Two names for the same work, so that callgrind can count the timed passes only
// (`valgrind --tool=callgrind --toggle-collect='*timed_file*'`, as bench/run.sh does). The
// counters keep the two bodies different, or identical-code folding would merge them.
volatile unsigned g_timed_files = 0, g_warmup_files = 0;
__attribute__((noinline)) bool timed_file(const std::string& stage, const fs::path& f, std::string text, Counts& c,
                                          MemFile& m) {
  g_timed_files = g_timed_files + 1;
  return stage_on_file(stage, f, std::move(text), c, m);
}
__attribute__((noinline)) bool warmup_file(const std::string& stage, const fs::path& f, std::string text, Counts& c,
                                           MemFile& m) {
  g_warmup_files = g_warmup_files + 2;
  return stage_on_file(stage, f, std::move(text), c, m);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  if (n == 0) return 0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---------------------------------------------------------------- the child: one stage
int run_child(const std::string& stage, const fs::path& dir, int runs, int warmup) {
  if (stage == "mem") heap::counting = true;
  json out;
  out["stage"] = stage;
  out["rss_baseline_bytes"] = proc_status_bytes("VmRSS");

  std::vector<fs::path> files = platc::driver::plat_files_in(dir);
  if (files.empty()) {
    std::fprintf(stderr, "platc_bench: no .plat files in %s\n", dir.string().c_str());
    return 3;
  }

  std::vector<double> cpu_times, wall_times;
  double warmup_cpu = 0;
  Counts counts;
  MemFile worst_peak;
  double max_peak_per_byte = 0;
  std::int64_t sum_ast = 0, live_after_first_pass = 0;
  std::uint64_t allocations = 0;
  fs::path largest_file;
  std::uintmax_t largest_size = 0;

  for (int pass = 0; pass < warmup + runs; ++pass) {
    bool timed = pass >= warmup;
    bool record = pass == warmup + runs - 1;  // counts and memory from the last pass
    Counts pass_counts;
    double cpu = 0, wall = 0;
    std::uint64_t alloc_before = heap::allocations;
    for (const fs::path& f : files) {
      std::string text = read_file(f);  // not timed: the page cache, not the parser
      if (text.size() > largest_size) {
        largest_size = text.size();
        largest_file = f;
      }
      if (stage == "lex_bytes" && !is_ascii(text)) {
        std::fprintf(stderr, "platc_bench: lex_bytes needs ASCII input; %s is not\n", f.string().c_str());
        return 3;
      }
      Counts c;
      MemFile m;
      double c0 = thread_cpu_seconds();
      auto w0 = Clock::now();
      bool ok = timed ? timed_file(stage, f, std::move(text), c, m) : warmup_file(stage, f, std::move(text), c, m);
      if (!ok) {
        std::fprintf(stderr, "platc_bench: unknown stage `%s`\n", stage.c_str());
        return 3;
      }
      wall += std::chrono::duration<double>(Clock::now() - w0).count();
      cpu += thread_cpu_seconds() - c0;
      pass_counts.add(c);
      if (stage == "mem" && record) {
        sum_ast += m.ast_heap;
        if (m.peak_heap > worst_peak.peak_heap) worst_peak = m;
        double per_byte = m.bytes ? double(m.peak_heap - m.ast_heap) / double(m.bytes) : 0;
        if (per_byte > max_peak_per_byte && m.bytes >= 4096) max_peak_per_byte = per_byte;
      }
    }
    if (stage == "mem" && pass == 0) live_after_first_pass = heap::live;
    if (record) {
      counts = pass_counts;
      allocations = heap::allocations - alloc_before;
    }
    if (timed) {
      cpu_times.push_back(cpu);
      wall_times.push_back(wall);
    } else {
      warmup_cpu += cpu;
    }
  }

  out["cpu_seconds_runs"] = cpu_times;
  out["wall_seconds_runs"] = wall_times;
  out["median_cpu_seconds"] = median(cpu_times);
  out["median_wall_seconds"] = median(wall_times);
  out["min_cpu_seconds"] = *std::min_element(cpu_times.begin(), cpu_times.end());
  out["max_cpu_seconds"] = *std::max_element(cpu_times.begin(), cpu_times.end());
  out["warmup_cpu_seconds"] = warmup_cpu;
  out["tokens"] = counts.tokens;
  out["ast_items"] = counts.items;
  out["diagnostics"] = counts.diagnostics;
  out["sll_failures"] = counts.sll_failures;
  out["tree_nodes"] = counts.tree_nodes;
  out["peak_rss_bytes"] = proc_status_bytes("VmHWM");
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  out["ru_maxrss_bytes"] = static_cast<std::int64_t>(ru.ru_maxrss) * 1024;
  out["minor_page_faults"] = static_cast<std::int64_t>(ru.ru_minflt);
  if (stage == "mem") {
    json m;
    m["max_file_peak_heap_bytes"] = worst_peak.peak_heap;
    m["max_file_peak_heap_file_bytes"] = worst_peak.bytes;
    m["max_file_ast_heap_bytes"] = worst_peak.ast_heap;
    m["max_file_source_heap_bytes"] = worst_peak.source_heap;
    m["max_peak_minus_ast_per_byte"] = max_peak_per_byte;
    m["total_ast_heap_bytes"] = sum_ast;
    // Heap that stays allocated from one file or pass to the next (ANTLR's DFA and prediction
    // context caches): it must not grow with the number of files once the first pass is done.
    m["live_after_first_pass_bytes"] = live_after_first_pass;
    m["live_at_end_bytes"] = heap::live;
    m["allocations_per_pass"] = allocations;
    // The pieces of the pipeline on the largest file, each measured alone (peak heap above the
    // level before, the file's text excluded).
    std::string text = read_file(largest_file);
    json pieces;
    pieces["file_bytes"] = text.size();
    pieces["input_utf32"] = peak_of([&] { stage_input(text); });
    pieces["lex_streaming"] = peak_of([&] { stage_lex(text); });
    pieces["input_utf32_exact"] = peak_of([&] { Utf32Input in(text); });
    pieces["tokens_kept"] = peak_of([&] { stage_tokens(text); });
    pieces["tree"] = peak_of([&] { stage_tree(text); });
    pieces["tree_direct"] = peak_of([&] { stage_tree_direct(text, true); });
    pieces["recognize_no_tree"] = peak_of([&] { stage_tree_direct(text, false); });
    pieces["items"] = peak_of([&] { stage_items(text, false); });
    pieces["items_stream"] = peak_of([&] { stage_items(text, true); });
    pieces["parse_file"] = peak_of([&] {
      Counts c;
      stage_mem(largest_file, text, c);
    });
    m["largest_file_pieces"] = pieces;
    out["heap"] = m;
  }
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---------------------------------------------------------------- the parent
json run_stage_in_child(const std::string& stage, const fs::path& dir, int runs, int warmup) {
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(3);
  }
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(3);
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string r = std::to_string(runs), w = std::to_string(warmup), d = dir.string();
    std::string self = "platc_bench", flag_child = "--child", flag_runs = "--runs", flag_warmup = "--warmup";
    std::string st = stage;
    std::vector<char*> argv = {self.data(), flag_child.data(), st.data(), flag_runs.data(), r.data(),
                               flag_warmup.data(), w.data(), d.data(), nullptr};
    execv("/proc/self/exe", argv.data());
    std::perror("execv");
    _exit(127);
  }
  close(fds[1]);
  std::string output;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) output.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "platc_bench: stage %s failed (status %d)\n", stage.c_str(), status);
    std::exit(1);
  }
  return json::parse(output);
}

int usage() {
  std::fprintf(stderr,
               "usage: platc_bench [--runs N] [--warmup N] [--stages a,b,...] DIR\n"
               "stages: lex parse mem (default), and for diagnosis: input tokens tree tree_direct\n"
               "        recognize lex_bytes lex_u32 text text_u32 items items_stream\n");
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5, warmup = 1;
  std::string stages = "lex,parse,mem", child, dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--runs") runs = std::atoi(next().c_str());
    else if (a == "--warmup") warmup = std::atoi(next().c_str());
    else if (a == "--stages") stages = next();
    else if (a == "--child") child = next();
    else if (a == "-h" || a == "--help") return usage();
    else if (!a.empty() && a[0] == '-') return usage();
    else dir = a;
  }
  if (dir.empty() || runs < 1 || warmup < 0) return usage();
  if (!child.empty()) return run_child(child, dir, runs, warmup);

  std::vector<fs::path> files = platc::driver::plat_files_in(dir);
  if (files.empty()) {
    std::fprintf(stderr, "platc_bench: no .plat files in %s\n", dir.c_str());
    return 3;
  }
  std::int64_t bytes = 0, largest = 0;
  for (const auto& f : files) {
    auto s = static_cast<std::int64_t>(fs::file_size(f));
    bytes += s;
    largest = std::max(largest, s);
  }

  json out;
  out["dir"] = dir;
  out["files"] = files.size();
  out["bytes"] = bytes;
  out["largest_file_bytes"] = largest;
  out["runs"] = runs;
  out["warmup"] = warmup;
  json st = json::object();
  std::stringstream ss(stages);
  std::string stage;
  while (std::getline(ss, stage, ',')) {
    if (std::find(std::begin(kAllStages), std::end(kAllStages), stage) == std::end(kAllStages)) return usage();
    // The mem stage counts allocations: one warm-up pass and one recorded pass are enough.
    bool mem = stage == "mem";
    json r = run_stage_in_child(stage, dir, mem ? 1 : runs, mem ? 1 : warmup);
    double cpu = r["median_cpu_seconds"].get<double>(), wall = r["median_wall_seconds"].get<double>();
    r["mb_per_s"] = cpu > 0 ? double(bytes) / 1e6 / cpu : 0.0;
    r["mb_per_s_wall"] = wall > 0 ? double(bytes) / 1e6 / wall : 0.0;
    std::fprintf(stderr, "  %-12s cpu %8.4f s %7.2f MB/s   wall %8.4f s   peak RSS %6.1f MiB\n", stage.c_str(), cpu,
                 r["mb_per_s"].get<double>(), wall, double(r["peak_rss_bytes"].get<std::int64_t>()) / (1 << 20));
    st[stage] = r;
  }
  out["stages"] = st;
  std::cout << out.dump(2) << std::endl;
  return 0;
}
