// The cdk8s peer of bench/peers.sh: the same Kubernetes objects as platc (and k8s.jsonnet) for
// the services of bench/gen_platform.py (`--json`), one cdk8s Chart per environment, written the
// way a team would with cdk8s's core constructs (ApiObject). `node k8s-cdk8s.mjs PARAMS.json OUTDIR`
// synthesises OUTDIR/<env>.k8s.yaml; bench/peers/equal.py holds them against platc's.
import { readFileSync } from "node:fs";
import { App, Chart, ApiObject } from "cdk8s";

const [paramsPath, outdir] = process.argv.slice(2);
const params = JSON.parse(readFileSync(paramsPath, "utf8"));
const platform = "bench";
const version = "0.0.0-dev";
const envs = [
  { name: "dev", domain: "dev.bench.example.com", prod: false },
  { name: "staging", domain: "staging.bench.example.com", prod: false },
  { name: "production", domain: "bench.example.com", prod: true },
];
const tags = { "cost-center": "cc-4012", team: "platform" };
const kname = (s) => s.replaceAll("_", "-");
const dbPort = (engine) => (engine.startsWith("mysql") ? 3306 : 5432);
const range = (r) => { const [lo, hi] = r.split(" .. "); return { lo, hi }; };

// Adler-32 of the ConfigMap's `key=value` lines: platc's pod-template checksum.
function adler32(text) {
  let a = 1, b = 0;
  for (const c of Buffer.from(text, "utf8")) { a = (a + c) % 65521; b = (b + a) % 65521; }
  return String(b * 65536 + a);
}

class EnvChart extends Chart {
  constructor(scope, env) {
    super(scope, env.name, { disableResourceNameHashes: true });
    const ns = `${platform}-${env.name}`;
    const base = { "app.kubernetes.io/instance": ns, "app.kubernetes.io/part-of": platform, "app.kubernetes.io/managed-by": "platc", environment: env.name, ...tags };
    const labels = (name, component) => ({ ...base, "app.kubernetes.io/name": name, "app.kubernetes.io/version": version, "app.kubernetes.io/component": component });
    const selector = (name) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": ns });
    const meta = (name, l) => ({ name, namespace: ns, labels: l });
    const secCtx = () => ({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    const podSecCtx = () => ({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    const secretEnv = (name, secret) => ({ name, valueFrom: { secretKeyRef: { name: secret, key: "url" } } });
    const configEnv = (name, cm) => ({ name, valueFrom: { configMapKeyRef: { name: cm, key: name } } });
    let n = 0;
    const add = (obj) => new ApiObject(this, `o${n++}`, obj);
    const serviceAccount = (name, component) => add({
      apiVersion: "v1", kind: "ServiceAccount",
      metadata: { ...meta(name, labels(name, component)), annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::000000000000:role/${ns}-${name}` } },
      automountServiceAccountToken: false,
    });
    const connection = (store) => add({
      apiVersion: "external-secrets.io/v1", kind: "ExternalSecret",
      metadata: meta(`${store}-connection`, { ...base, "app.kubernetes.io/name": `${store}-connection`, "app.kubernetes.io/component": "connection" }),
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
        target: { name: `${store}-connection`, creationPolicy: "Owner" },
        data: [{ secretKey: "url", remoteRef: { key: `${ns}-${store}-connection`, property: "url" } }],
      },
    });
    const netpol = (name, component, ingressPort, egressPorts) => add({
      apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy",
      metadata: meta(name, labels(name, component)),
      spec: {
        podSelector: { matchLabels: selector(name) },
        policyTypes: ["Ingress", "Egress"],
        ...(ingressPort != null ? { ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: ingressPort }] }] } : {}),
        egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: egressPorts.map((port) => ({ protocol: "TCP", port })) }],
      },
    });

    add({
      apiVersion: "v1", kind: "Namespace",
      metadata: { name: ns, labels: { ...base, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted", "platc.dev/pre-deploy": "true" } },
    });
    add({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta("default-deny", base), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
    add({
      apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta("allow-dns", base),
      spec: {
        podSelector: {}, policyTypes: ["Egress"],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
        }],
      },
    });

    for (const s of params.services) {
      const name = kname(s.svc), db = kname(s.db), cache = kname(s.cache), l = labels(name, "service");
      const cpu = range(env.prod ? s.prod_cpu : s.cpu), mem = range(env.prod ? s.prod_mem : s.mem);
      const config = { LOG_LEVEL: s.log_level, SERVICE_NAME: s.host, TEAM: s.team };
      const host = `${s.host}.${env.domain}`;
      const probe = (path) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
      serviceAccount(name, "service");
      add({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${name}-env`, l), data: config });
      add({
        apiVersion: "apps/v1", kind: "Deployment", metadata: meta(name, l),
        spec: {
          selector: { matchLabels: selector(name) },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
          template: {
            metadata: { labels: l, annotations: { "platc.dev/config-checksum": adler32(Object.keys(config).sort().map((k) => `${k}=${config[k]}\n`).join("")) } },
            spec: {
              serviceAccountName: name,
              securityContext: podSecCtx(),
              containers: [{
                name,
                image: `registry.platc.invalid/bench/services/${s.host}:${version}`,
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: s.port, protocol: "TCP" }],
                env: [secretEnv("DATABASE_URL", `${db}-connection`), configEnv("LOG_LEVEL", `${name}-env`), secretEnv("REDIS_URL", `${cache}-connection`), configEnv("SERVICE_NAME", `${name}-env`), configEnv("TEAM", `${name}-env`)],
                resources: { requests: { cpu: cpu.lo, memory: mem.lo }, limits: { cpu: cpu.hi, memory: mem.hi } },
                livenessProbe: probe("/healthz"),
                readinessProbe: probe("/ready"),
                securityContext: secCtx(),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              }],
              volumes: [{ name: "tmp", emptyDir: {} }],
            },
          },
        },
      });
      add({ apiVersion: "v1", kind: "Service", metadata: meta(name, l), spec: { type: "ClusterIP", selector: selector(name), ports: [{ name: "http", port: s.port, targetPort: "http", protocol: "TCP" }] } });
      add({
        apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: meta(name, l),
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
          minReplicas: s.replicas, maxReplicas: s.max_replicas,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.target_cpu } } }],
        },
      });
      add({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(name, l), spec: { maxUnavailable: 1, selector: { matchLabels: selector(name) } } });
      add({
        apiVersion: "networking.k8s.io/v1", kind: "Ingress",
        metadata: {
          ...meta(host, base),
          annotations: {
            "alb.ingress.kubernetes.io/scheme": "internet-facing",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/group.name": ns,
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
          },
        },
        spec: {
          ingressClassName: "alb",
          tls: [{ hosts: [host] }],
          rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
        },
      });
      netpol(name, "service", s.port, [dbPort(s.engine), 6379]);
      connection(db);
      connection(cache);

      const job = kname(s.job), jl = labels(job, "job");
      serviceAccount(job, "job");
      add({
        apiVersion: "batch/v1", kind: "CronJob", metadata: meta(job, jl),
        spec: {
          schedule: s.schedule, timeZone: "Etc/UTC", concurrencyPolicy: "Forbid",
          jobTemplate: {
            metadata: { labels: jl },
            spec: {
              backoffLimit: 0, activeDeadlineSeconds: 5400,
              template: {
                metadata: { labels: jl },
                spec: {
                  serviceAccountName: job, restartPolicy: "Never", securityContext: podSecCtx(),
                  containers: [{
                    name: job,
                    image: `registry.platc.invalid/bench/jobs/report:${version}`,
                    imagePullPolicy: "IfNotPresent",
                    command: ["python", "-m", "jobs.report", "--service", s.host],
                    env: [secretEnv("DATABASE_URL", `${db}-connection`)],
                    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                    securityContext: secCtx(),
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                  }],
                  volumes: [{ name: "tmp", emptyDir: {} }],
                },
              },
            },
          },
        },
      });
      netpol(job, "job", null, [dbPort(s.engine)]);
    }
  }
}

const app = new App({ outdir });
for (const env of envs) new EnvChart(app, env);
app.synth();
