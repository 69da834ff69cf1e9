#include "backends/emit/hcl_module.h"

#include "backends/emit/hcl_writer.h"

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

}  // namespace platc::emit::hcl
