// A workload's probes (the `health` block): how each one asks, and the Kubernetes probe it
// becomes. The check step and the manifests read the probe kind from here, so the default
// (gRPC for a `protocol = grpc` service) is resolved in one place.
#pragma once

#include <string>
#include <string_view>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/context.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::kubernetes {

enum class ProbeKind { Http, Grpc, Tcp };

// `health.probe`; unset, `grpc` when the workload's `protocol` is `grpc`, else `http`.
ProbeKind probe_kind(const graph::Node& n);
// Whether `probe` was written (false: the kind is the default).
bool probe_kind_written(const graph::Node& n);
// The kind as the user writes it: http, grpc, tcp.
std::string_view probe_kind_word(ProbeKind k);

// Whether the probe at `path` (`health.liveness` …) is on: a path, or `true`.
bool probe_on(const graph::Node& n, std::string_view path);

// The Kubernetes probe of `path` for the workload's container: httpGet, grpc or tcpSocket on the
// health port, with the block's timings.
emit::YamlNode probe_doc(const Context& ctx, const Workload& w, std::string_view path);

// What the API server or the probe would reject: a path on a gRPC or TCP probe, `true` on an HTTP
// one (E0507), a setting of another kind of probe (E0508), header names (E0430).
void check_probes(const graph::Graph& g, Diagnostics& diags);

}  // namespace platc::kubernetes
