// `secret.rotation` on AWS. Secrets Manager rotates an entry only by invoking a rotation Lambda
// (`aws_secretsmanager_secret_rotation`) that creates the new value and updates whatever uses it;
// a declared secret's value belongs to people or another system (an API key of a third party), so
// no function platc could write would work. The kind promises a record of the period instead: the
// entry carries the tag `rotation` (`90d`), beside the block's own tags, so inventories and the
// owners' reports see what is due (docs/backends.md, design-notes).
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

Expr declared_secret_tags(const Context& c, const graph::Node& n, const std::string& name) {
  Expr tags = c.tags_of(&n, name);
  const graph::Value* r = n.value("rotation");
  if (!r || r->i <= 0) return tags;
  // Whole days (the kind's minimum is 1d); a period that is not is written in seconds.
  tags.set("rotation", r->i % 86400 == 0 ? std::to_string(r->i / 86400) + "d" : std::to_string(r->i) + "s");
  return tags;
}

}  // namespace platc::terraform_aws
