// Secrets the structure of a string gives away: Authorization headers, connection strings,
// URL queries, command-line flags, and `name = value` lines inside multi-line config.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/policy/secrets.h"

namespace platc::policy::secrets {

// A name and a value side by side inside a string. Views into Site::text, except the names of
// tools' options, which are literals.
struct Pair {
  std::string_view name;
  std::string_view value;
  std::size_t value_at = 0;
  bool loose = false;  // a bare word before a value (`password hunter2`): the value must look like one
  bool conn = false;   // a field of a connection string (`Password=…;`)
  bool query = false;  // a parameter of a URL's query (`?sig=…`)
  bool tool = false;   // a tool's password option (`mysql -p…`): the name is a letter, the tool decides

  Pair(std::string_view n, std::string_view v, std::size_t at, bool bare = false)
      : name(n), value(v), value_at(at), loose(bare) {}
};

// Pairs on a command line (secret_commands.cpp): `--flag value`, the previous list item as the
// flag, tools' short options (mysql -p…, redis-cli -a …, curl -u user:…), bare words before a
// value (`requirepass …`, netrc's `password …`, SQL's `IDENTIFIED BY '…'`).
void command_pairs(const Site& site, std::vector<Pair>& out);

// Every hit in the text, in order of position: Format for headers, connection strings and URL
// queries; Name for a name inside the text (`--db-password=…`, `password: …`); Entropy for a
// random value of a flag or assignment whose name says nothing.
std::vector<Hit> structure_hits(const Site& site);

}  // namespace platc::policy::secrets
