#include "tests/fuzz/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace platc::fuzz {
namespace {

// The fuzzer's bytes as a stream of choices; 0 once they run out.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  // A number in [0, n).
  std::size_t below(std::size_t n) {
    if (n <= 1) return 0;
    std::size_t v = pos_ < size_ ? data_[pos_++] : 0;
    if (n > 256 && pos_ < size_) v = v << 8 | data_[pos_++];
    return v % n;
  }
  bool maybe() { return below(2) == 1; }
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

const std::vector<std::string_view> kEnvNames = {"dev", "staging", "prod", "qa"};
const std::vector<std::string_view> kImages = {"nginx:1.27", "ghcr.io/acme/api:2.4.1",
                                               "registry.example.com/team/app@sha256:"
                                               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                               "quay.io/prometheuscommunity/postgres-exporter:v0.15.0"};
const std::vector<std::string_view> kDurations = {"30s", "5m", "10m", "1h", "2h"};
const std::vector<std::string_view> kCpus = {"50m .. 100m", "100m .. 500m", "250m .. 1", "1 .. 2", "500m"};
const std::vector<std::string_view> kMemories = {"64Mi .. 128Mi", "256Mi .. 512Mi", "512Mi .. 1Gi", "1Gi .. 2Gi",
                                                 "128Mi"};
const std::vector<std::string_view> kStrings = {
    "info", "debug", "a b c", "é ü 漢字", "with \\\"quotes\\\"", "tab\\there", "${env.name}-x", "line\\nbreak", ""};

struct Names {
  std::vector<std::string> envs, secrets, configs, databases, caches, topics, queues, buckets, services, workers, jobs;
};

// The text being written, with indentation.
class Out {
 public:
  void line(std::string_view s) {
    text_.append(depth_ * 2, ' ');
    text_ += s;
    text_ += '\n';
  }
  void open(std::string_view head) {
    line(std::string(head) + " {");
    ++depth_;
  }
  void close() {
    --depth_;
    line("}");
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  std::size_t depth_ = 0;
};

std::string list_of(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

// A non-empty subset of `from`, in its order.
std::vector<std::string> subset(Choices& c, const std::vector<std::string>& from, std::size_t max) {
  std::vector<std::string> out;
  for (const auto& n : from)
    if (out.size() < max && c.maybe()) out.push_back(n);
  return out;
}

class Generator {
 public:
  Generator(const std::uint8_t* data, std::size_t size) : c_(data, size) {}

  std::string run() {
    plan();
    platform();
    for (const auto& e : n_.envs) environment(e);
    for (const auto& s : n_.secrets) secret(s);
    for (const auto& s : n_.databases) database(s);
    for (const auto& s : n_.caches) cache(s);
    for (const auto& s : n_.topics) topic(s);
    for (const auto& s : n_.queues) queue(s);
    for (const auto& s : n_.buckets) bucket(s);
    for (const auto& s : n_.configs) config(s);
    for (std::size_t i = 0; i < n_.services.size(); ++i) workload("service", n_.services[i], i);
    for (std::size_t i = 0; i < n_.workers.size(); ++i) workload("worker", n_.workers[i], i);
    for (const auto& s : n_.jobs) job(s);
    if (c_.maybe()) pipeline();
    if (c_.maybe()) observability();
    if (c_.maybe()) policy();
    return out_.take();
  }

 private:
  void plan() {
    std::size_t envs = 1 + c_.below(3);
    for (std::size_t i = 0; i < envs; ++i) n_.envs.emplace_back(kEnvNames[i]);
    auto count = [&](std::size_t max, std::string_view prefix, std::vector<std::string>& into) {
      std::size_t k = c_.below(max + 1);
      for (std::size_t i = 0; i < k; ++i) into.push_back(fmt::format("{}{}", prefix, i));
    };
    count(3, "sec", n_.secrets);
    count(2, "cfg", n_.configs);
    count(2, "db", n_.databases);
    count(2, "kv", n_.caches);
    count(2, "events", n_.topics);
    count(2, "tasks", n_.queues);
    count(2, "files", n_.buckets);
    n_.services.push_back("api");
    count(3, "svc", n_.services);
    count(2, "wrk", n_.workers);
    count(2, "job", n_.jobs);
    domains_ = c_.below(4) != 0;
  }

  void platform() {
    static const std::vector<std::vector<std::string>> kTargets = {
        {"aws"}, {"gcp"}, {"azure"}, {"aws", "gcp"}, {"aws", "gcp", "azure"}};
    static const std::vector<std::string_view> kRegion = {"eu-west-1", "europe-west1", "westeurope"};
    targets_ = c_.pick(kTargets);
    out_.open("platform shop");
    out_.line("owner   = \"platform-team\"");
    out_.line("targets = " + list_of(targets_));
    if (targets_.size() == 1) {
      std::size_t t = targets_[0] == "aws" ? 0 : targets_[0] == "gcp" ? 1 : 2;
      out_.line(fmt::format("region  = \"{}\"", kRegion[t]));
    } else {
      std::string m = "{ ";
      for (std::size_t i = 0; i < targets_.size(); ++i)
        m += fmt::format("{}{} = \"{}\"", i ? ", " : "", targets_[i], kRegion[i]);
      out_.line("region  = " + m + " }");
    }
    if (c_.maybe()) out_.line("tags    = { owner = \"platform-team\", cost-center = \"cc-1\" }");
    if (c_.maybe()) {
      out_.open("cluster");
      out_.line(fmt::format("min_nodes = {}", c_.between(1, 3)));
      out_.line(fmt::format("max_nodes = {}", c_.between(3, 9)));
      out_.close();
    }
    out_.close();
  }

  void environment(const std::string& e) {
    out_.open("environment " + e);
    if (domains_) out_.line(fmt::format("domain = \"{}.shop.example\"", e));
    if (e != "dev" && c_.maybe()) out_.line("approval = required");
    out_.close();
  }

  // Attributes that differ per environment: `on <env> { … }` with one of `lines`.
  void overlay(const std::vector<std::string>& lines) {
    if (lines.empty() || n_.envs.size() < 2 || !c_.maybe()) return;
    out_.open("on " + n_.envs[1 + c_.below(n_.envs.size() - 1)]);
    out_.line(c_.pick(lines));
    out_.close();
  }

  void secret(const std::string& s) {
    out_.open("secret " + s);
    out_.line(fmt::format("store = \"shop/${{env.name}}/{}\"", s));
    if (c_.maybe()) out_.line(fmt::format("rotation = {}d", c_.between(1, 365)));
    out_.close();
  }

  void database(const std::string& s) {
    out_.open("database " + s);
    out_.line(c_.maybe() ? "engine = postgres 16" : "engine = mysql 8.0");
    static const std::vector<std::string> kSizes = {"small", "medium", "large", "xlarge"};
    if (c_.maybe()) out_.line("size = " + c_.pick(kSizes));
    if (c_.maybe()) out_.line(fmt::format("storage = {}GiB", c_.between(10, 500)));
    if (c_.maybe())
      out_.line(fmt::format("backup {{ retention = {}d  point_in_time = {} }}", c_.between(7, 35),
                            c_.maybe() ? "true" : "false"));
    // Highly available with a size that allows it everywhere (Azure has no HA on its Burstable
    // `small`, E0527): the generator writes platforms that check.
    overlay(
        {"high_availability = true  size = medium", "size = large", "deletion_protection = false", "storage = 100GiB"});
    out_.close();
  }

  void cache(const std::string& s) {
    out_.open("cache " + s);
    if (c_.maybe()) out_.line("engine = redis 7");
    static const std::vector<std::string> kEviction = {"allkeys-lru", "volatile-ttl", "noeviction"};
    if (c_.maybe()) out_.line("eviction = " + c_.pick(kEviction));
    overlay({"size = medium", "high_availability = true"});
    out_.close();
  }

  void topic(const std::string& s) {
    out_.open("topic " + s);
    if (c_.maybe()) out_.line(fmt::format("partitions = {}", c_.between(1, 12)));
    // Event Hubs compacts only in Premium namespaces, which the Azure module does not create (E0527).
    bool azure = std::find(targets_.begin(), targets_.end(), "azure") != targets_.end();
    if (c_.maybe() && !azure) out_.line("cleanup = compact");
    if (c_.maybe()) out_.line(fmt::format("retention = {}h", c_.between(1, 200)));
    if (s != n_.topics.front() && c_.maybe()) out_.line("dead_letter = " + n_.topics.front());
    out_.close();
  }

  void queue(const std::string& s) {
    out_.open("queue " + s);
    if (c_.maybe()) out_.line(fmt::format("visibility_timeout = {}s", c_.between(0, 600)));
    if (c_.maybe()) out_.line(fmt::format("max_receives = {}", c_.between(1, 100)));
    if (s != n_.queues.front() && c_.maybe()) out_.line("dead_letter = " + n_.queues.front());
    out_.close();
  }

  void bucket(const std::string& s) {
    out_.open("bucket " + s);
    if (c_.maybe()) out_.line("versioning = false");
    if (c_.maybe()) out_.line("lifecycle { archive_after = 30d  expire_after = 365d }");
    if (domains_ && c_.maybe()) out_.line(fmt::format("cdn {{ host = \"{}.${{env.domain}}\" }}", s));
    out_.close();
  }

  void config(const std::string& s) {
    out_.open("config " + s);
    out_.open("env");
    out_.line(fmt::format("LOG_LEVEL = \"{}\"", c_.maybe() ? "info" : "debug"));
    if (c_.maybe()) out_.line("SHARED = " + env_value());
    out_.close();
    overlay({"env { LOG_LEVEL = \"trace\" }"});
    out_.close();
  }

  // A value for an environment variable: a literal or an output of another block.
  std::string env_value() {
    std::vector<std::string> refs;
    for (const auto& d : n_.databases) {
      refs.push_back(d + ".url");
      refs.push_back(d + ".password");
      refs.push_back("\"${" + d + ".host}:${" + d + ".port}\"");
    }
    for (const auto& k : n_.caches) refs.push_back(k + ".url");
    for (const auto& s : n_.secrets) refs.push_back(s);
    for (const auto& q : n_.queues) refs.push_back(q + ".url");
    for (const auto& b : n_.buckets) refs.push_back(b + ".name");
    for (const auto& s : n_.services) refs.push_back(s + ".url");
    if (domains_) refs.push_back("\"https://${env.domain}/\"");
    if (refs.empty() || c_.maybe()) return fmt::format("\"{}\"", c_.pick(kStrings));
    return c_.pick(refs);
  }

  void env_block(std::string_view self) {
    std::size_t k = c_.below(4);
    if (k == 0) return;
    out_.open("env");
    for (std::size_t i = 0; i < k; ++i) {
      std::string v = env_value();
      if (v == std::string(self) + ".url") v = "\"self\"";  // a workload does not call itself
      out_.line(fmt::format("VAR_{} = {}", i, v));
    }
    out_.close();
  }

  void resources() {
    if (!c_.maybe()) return;
    out_.line(fmt::format("resources {{ cpu = {}  memory = {} }}", c_.pick(kCpus), c_.pick(kMemories)));
  }

  void workload(std::string_view kind, const std::string& s, std::size_t index) {
    bool service = kind == "service";
    out_.open(fmt::format("{} {}", kind, s));
    out_.line(fmt::format("image = \"{}\"", c_.pick(kImages)));
    if (c_.maybe()) out_.line("command = [\"/bin/app\", \"--serve\"]");
    if (c_.maybe()) out_.line("args = [\"--verbose\"]");
    int port = 8000 + static_cast<int>(index);
    bool storage = false;
    std::string protocol = "http";
    if (service) {
      if (c_.below(4) == 0)
        out_.line(fmt::format("ports = {{ http = {}, admin = {} }}", port, port + 100));
      else
        out_.line(fmt::format("port = {}", port));
      static const std::vector<std::string> kProto = {"http", "http2", "grpc"};
      if (c_.maybe()) {
        protocol = c_.pick(kProto);
        out_.line("protocol = " + protocol);
      }
      if (c_.maybe()) out_.line("service_port = 80");
      storage = c_.below(5) == 0;
    } else if (c_.maybe()) {
      out_.line(fmt::format("port = {}", port));
    }
    if (c_.maybe()) out_.line(fmt::format("replicas = {}", c_.between(0, 5)));
    if (!storage && c_.maybe()) {
      static const std::vector<std::string> kService = {"rollout = blue-green", "rollout = canary", "max_surge = 1",
                                                        "max_unavailable = 0"};
      static const std::vector<std::string> kWorker = {"rollout = recreate", "max_surge = 50%"};
      std::string r = c_.pick(service ? kService : kWorker);
      out_.line(r);
      if (r == "rollout = canary" && c_.maybe()) out_.line("canary { steps = [5%, 25%, 75%]  pause = 2m }");
    }
    if (storage) out_.line(fmt::format("storage {{ path = \"/data\"  size = {}Gi }}", c_.between(1, 50)));
    if (c_.maybe()) {
      int lo = c_.between(1, 3);
      out_.line(
          fmt::format("autoscale {{ min = {}  max = {}  cpu = {}% }}", lo, lo + c_.between(0, 5), c_.between(10, 100)));
    }
    resources();
    env_block(s);
    if (!n_.configs.empty() && c_.maybe()) out_.line("include = " + list_of(subset(c_, n_.configs, 2)));
    messaging();
    wait_for(s);
    if (c_.maybe()) out_.line(fmt::format("termination_grace = {}s", c_.between(1, 3600)));
    if (c_.maybe()) out_.line("tags = { team = \"shop\" }");
    if (c_.maybe()) out_.line("volumes { \"/cache\" = 1Gi }");
    if (c_.maybe()) out_.line("annotations { \"example.com/owner\" = \"shop\" }");
    if (c_.maybe()) {
      static const std::vector<std::string> kHealth = {
          "health { liveness = \"/healthz\"  readiness = \"/ready\" }", "health { probe = tcp  liveness = true }",
          "health { readiness = \"/ready\"  period = 5s  failure_threshold = 5 }"};
      // gRPC probes call the gRPC health service: they take `true`, not a path (E0507).
      static const std::vector<std::string> kGrpcHealth = {"health { liveness = true  readiness = true }",
                                                           "health { probe = tcp  liveness = true }"};
      if (service || c_.maybe()) out_.line(c_.pick(protocol == "grpc" ? kGrpcHealth : kHealth));
    }
    if (c_.maybe()) out_.line("metrics { path = \"/metrics\"  interval = 15s }");
    if (service && c_.maybe()) {
      std::string host =
          domains_ && c_.maybe() ? fmt::format("{}.${{env.domain}}", s) : fmt::format("{}.shop.example", s);
      out_.open("expose");
      out_.line(fmt::format("host = \"{}\"", host));
      if (c_.maybe()) out_.line("path = \"/v1\"");
      if (c_.maybe()) out_.line("timeout = 30s");
      out_.close();
    }
    if (service && c_.below(4) == 0) out_.line("load_balancer { scope = internal }");
    for (std::size_t k = c_.below(3), i = 0; i < k; ++i) {
      out_.open(fmt::format("sidecar side{}", i));
      out_.line(fmt::format("image = \"{}\"", c_.pick(kImages)));
      out_.line(fmt::format("port = {}", 9100 + i));
      out_.line("cpu = 10m .. 50m");
      out_.line("memory = 16Mi .. 32Mi");
      if (c_.maybe()) out_.line(fmt::format("env {{ SIDE = {} }}", env_value()));
      out_.close();
    }
    for (std::size_t k = c_.below(3), i = 0; i < k; ++i) {
      static const std::vector<std::string> kEgress = {"hosts = [\"smtp.example.net\"]\n ports = [587]",
                                                       "cidrs = [\"203.0.113.0/24\"]\n ports = [443]",
                                                       "any_host = true\n ports = [443]"};
      out_.open(fmt::format("egress out{}", i));
      std::string_view e = c_.pick(kEgress);
      out_.line(std::string(e.substr(0, e.find('\n'))));
      out_.line(std::string(e.substr(e.find('\n') + 2)));
      out_.close();
    }
    overlay({"replicas = 2", "resources { cpu = 1 .. 2  memory = 1Gi .. 2Gi }", "env { EXTRA = \"on\" }",
             "tags = { tier = \"overlay\" }"});
    out_.close();
  }

  void messaging() {
    std::vector<std::string> both = n_.topics;
    both.insert(both.end(), n_.queues.begin(), n_.queues.end());
    if (both.empty()) return;
    if (c_.maybe()) out_.line("publishes = " + list_of(subset(c_, both, 3)));
    if (c_.maybe()) out_.line("consumes = " + list_of(subset(c_, both, 3)));
  }

  // Only blocks declared before: no workload waits, through others, for itself.
  void wait_for(const std::string& self) {
    if (!c_.maybe()) return;
    std::vector<std::string> targets = n_.databases;
    targets.insert(targets.end(), n_.caches.begin(), n_.caches.end());
    for (const auto& s : n_.services) {
      if (s == self) break;
      targets.push_back(s);
    }
    auto chosen = subset(c_, targets, 3);
    if (!chosen.empty()) out_.line("wait_for = " + list_of(chosen));
  }

  void job(const std::string& s) {
    out_.open("job " + s);
    out_.line(fmt::format("image = \"{}\"", c_.pick(kImages)));
    out_.line("command = [\"/bin/task\"]");
    static const std::vector<std::string> kWhen = {"schedule = \"*/15 * * * *\"", "schedule = \"0 3 * * 1-5\"",
                                                   "hook = pre_deploy", "hook = post_deploy"};
    if (c_.below(4) != 0) out_.line(c_.pick(kWhen));
    static const std::vector<std::string> kConc = {"allow", "forbid", "replace"};
    if (c_.maybe()) out_.line("concurrency = " + c_.pick(kConc));
    if (c_.maybe()) out_.line(fmt::format("retries = {}", c_.between(0, 10)));
    if (c_.maybe()) out_.line("timeout = " + std::string(c_.pick(kDurations)));
    resources();
    env_block(s);
    if (!n_.topics.empty() && c_.maybe()) out_.line("publishes = [" + n_.topics.front() + "]");
    overlay({"retries = 3", "timeout = 2h"});
    out_.close();
  }

  void pipeline() {
    out_.open("pipeline");
    if (c_.maybe()) out_.line("on = push(main)");
    std::string chain;
    for (const auto& e : n_.envs) chain += (chain.empty() ? "" : " -> ") + e;
    out_.line("deploy = " + chain);
    if (c_.maybe()) out_.line("rollback = false");
    out_.close();
  }

  void observability() {
    const std::string& s = n_.services.front();
    out_.open("alert slow_" + s);
    out_.line(fmt::format("expr = \"rate(http_requests_total{{job=\\\"${{{}.name}}\\\"}}[5m])\"", s));
    out_.line(fmt::format("threshold = {}", c_.between(1, 100)));
    if (c_.maybe()) out_.line("for = 10m");
    out_.line("summary = \"too slow\"");
    out_.close();
    out_.open("dashboard overview");
    out_.line("title = \"Shop\"");
    out_.line("rows = " + list_of(n_.services));
    if (c_.maybe()) out_.line("panel errors { expr = \"sum(rate(errors_total[5m]))\" }");
    out_.close();
    if (c_.maybe()) {
      out_.open("budget monthly");
      out_.line(fmt::format("monthly_limit = {}", c_.between(1, 5000)));
      out_.line("notify = [\"ops@shop.example\"]");
      out_.close();
    }
  }

  void policy() {
    out_.open("policy");
    if (c_.maybe()) out_.line("required_tags = [\"owner\"]");
    if (c_.maybe()) out_.line("max_memory = 16Gi");
    if (c_.maybe()) out_.line("disable = [P0301]");
    if (c_.maybe()) {
      out_.open("waiver w0");
      out_.line("rule = P0704");
      out_.line("resource = " + n_.services.front());
      out_.line("reason = \"fuzzing\"");
      if (c_.maybe()) out_.line("expires = \"2030-01-01\"");
      out_.close();
    }
    out_.close();
  }

  Choices c_;
  Names n_;
  Out out_;
  std::vector<std::string> targets_;
  bool domains_ = true;
};

}  // namespace

std::string generate_platform(const std::uint8_t* data, std::size_t size) {
  return Generator(data, size).run();
}

}  // namespace platc::fuzz
