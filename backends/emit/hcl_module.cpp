#include "backends/emit/hcl_module.h"

#include "backends/emit/hcl_writer.h"
#include "backends/emit/yaml_writer.h"

namespace platc::emit::hcl {

void declare_variables(File& f, const std::vector<Variable>& vars) {
  for (const auto& v : vars) {
    Block& b = f.block("variable", {v.name});
    b.body.attr("type", Expr::raw(v.type));
    b.body.attr("description", v.description);
    if (v.fallback) b.body.attr("default", *v.fallback);
    if (v.sensitive) b.body.attr("sensitive", Expr::boolean(true));
  }
}

std::string tfvars(const std::vector<Variable>& vars, const std::string& header_line, const std::string& environment) {
  Body body;
  body.comment(header_line);
  body.comment("The values of environment `" + environment + "`: `terraform plan -var-file=" + environment +
               ".tfvars`.");
  body.blank();
  for (const auto& v : vars)
    if (v.value) body.attr(v.name, *v.value);
  return to_hcl(body);
}

std::vector<std::pair<std::string, std::string>> module_files(
    const std::string& dir, std::span<const char* const> order, const std::map<std::string, File>& files,
    const std::vector<Variable>& vars, const std::set<std::string>& sources, const std::string& environment) {
  std::string header = generated_header({sources.begin(), sources.end()});
  std::string header_line = header.substr(2, header.size() - 3);  // without `# ` and the newline
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : order) {
    auto it = files.find(name);
    if (it == files.end() || it->second.items().empty()) continue;
    Body body;
    body.comment(header_line);
    out.emplace_back(dir + name, to_hcl(body) + "\n" + to_hcl(it->second));
  }
  out.emplace_back(dir + environment + ".tfvars", tfvars(vars, header_line, environment));
  return out;
}

}  // namespace platc::emit::hcl
