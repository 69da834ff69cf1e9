// The CIDR ranges of compiler/support/cidr.h: what sema accepts as `cidr`, the network address it
// offers as the fix, and the containment the egress rules and their tests rely on.
#include "compiler/support/cidr.h"

#include <doctest/doctest.h>

using namespace platc;

TEST_CASE("cidr: valid and invalid ranges") {
  for (const char* ok : {"203.0.113.0/24", "0.0.0.0/0", "10.0.0.0/8", "198.51.100.7/32", "2001:db8::/32", "::/0"})
    CHECK_MESSAGE(cidr_problem(ok).empty(), ok);
  CHECK(cidr_problem("10.0.0.0") == "a range needs its prefix length, such as `/24`");
  CHECK(cidr_problem("10.0.0/8") == "not an IPv4 address (four numbers 0 to 255)");
  CHECK(cidr_problem("10.0.0.0.0/8") == "not an IPv4 address (four numbers 0 to 255)");
  CHECK(cidr_problem("256.0.0.0/8") == "not an IPv4 address (four numbers 0 to 255)");
  CHECK(cidr_problem("10.0.0.0/33") == "the prefix length of an IPv4 range is 0 to 32");
  CHECK(cidr_problem("2001:db8::/129") == "the prefix length of an IPv6 range is 0 to 128");
  CHECK(cidr_problem("smtp.example.com/32") == "not an IPv4 address (four numbers 0 to 255)");
}

TEST_CASE("cidr: the network address, everything, containment") {
  CHECK(cidr_network("203.0.113.7/24") == "203.0.113.0/24");
  CHECK(cidr_network("10.1.2.3/8") == "10.0.0.0/8");
  CHECK(cidr_network("1.2.3.4/0") == "0.0.0.0/0");
  CHECK(cidr_network("198.51.100.7/32") == "198.51.100.7/32");
  CHECK(cidr_network("2001:db8::1/32") == "2001:db8::1/32");  // IPv6 is left as written
  CHECK(cidr_is_everything("0.0.0.0/0"));
  CHECK(cidr_is_everything("::/0"));
  CHECK(!cidr_is_everything("0.0.0.0/1"));
  CHECK(!cidr_is_everything("10.0.0.0/10"));
  CHECK(cidr_contains("10.0.0.0/8", "10.0.0.0/16"));
  CHECK(cidr_contains("10.0.0.0/8", "10.255.1.2/32"));
  CHECK(!cidr_contains("10.0.0.0/16", "10.0.0.0/8"));
  CHECK(!cidr_contains("172.16.0.0/12", "172.32.0.1/32"));
  CHECK(cidr_contains("0.0.0.0/0", "198.51.100.7/32"));
  CHECK(!cidr_contains("::/0", "2001:db8::/32"));  // IPv4 only
}
