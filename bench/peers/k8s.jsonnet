// The Jsonnet peer of bench/peers.sh: the Kubernetes objects platc writes for the services of
// bench/gen_platform.py (`--json`), for the three environments, written by hand the way a team
// would template them. `jsonnet -m DIR --tla-code-file params=PARAMS.json k8s.jsonnet` writes
// DIR/<env>.json, a list of objects; bench/peers/equal.py holds them against platc's.
function(params)
  local platform = 'bench';
  local version = '0.0.0-dev';
  local envs = [
    { name: 'dev', domain: 'dev.bench.example.com', prod: false },
    { name: 'staging', domain: 'staging.bench.example.com', prod: false },
    { name: 'production', domain: 'bench.example.com', prod: true },
  ];
  local tags = { 'cost-center': 'cc-4012', team: 'platform' };
  local kname(s) = std.strReplace(s, '_', '-');
  local dbPort(engine) = if std.startsWith(engine, 'mysql') then 3306 else 5432;

  // Adler-32 of the ConfigMap's `key=value` lines: platc's pod-template checksum.
  local adler32(text) =
    local bytes = std.encodeUTF8(text);
    // An array, not an object, as the accumulator: Jsonnet caches array elements but recomputes
    // an object's fields on every access, which makes a fold over objects exponential.
    local step(acc, c) = local a = (acc[0] + c) % 65521; [a, (acc[1] + a) % 65521];
    local r = std.foldl(step, bytes, [1, 0]);
    std.toString(r[1] * 65536 + r[0]);

  local range(r) = local p = std.split(std.strReplace(r, ' .. ', ' '), ' '); { lo: p[0], hi: p[1] };

  local envObjects(env) =
    local ns = platform + '-' + env.name;
    local base = { 'app.kubernetes.io/instance': ns, 'app.kubernetes.io/part-of': platform, 'app.kubernetes.io/managed-by': 'platc', environment: env.name } + tags;
    local labels(name, component) = base { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': version, 'app.kubernetes.io/component': component };
    local selector(name) = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': ns };
    local meta(name, l) = { name: name, namespace: ns, labels: l };
    local secCtx = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
    local podSecCtx = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } };
    local secretEnv(name, secret) = { name: name, valueFrom: { secretKeyRef: { name: secret, key: 'url' } } };
    local configEnv(name, cm) = { name: name, valueFrom: { configMapKeyRef: { name: cm, key: name } } };
    local serviceAccount(name, component) = {
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: meta(name, labels(name, component)) { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::000000000000:role/' + ns + '-' + name } },
      automountServiceAccountToken: false,
    };
    local connection(store) = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
      metadata: meta(store + '-connection', base { 'app.kubernetes.io/name': store + '-connection', 'app.kubernetes.io/component': 'connection' }),
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        target: { name: store + '-connection', creationPolicy: 'Owner' },
        data: [{ secretKey: 'url', remoteRef: { key: ns + '-' + store + '-connection', property: 'url' } }],
      },
    };
    local netpol(name, component, ingressPort, egressPorts) = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
      metadata: meta(name, labels(name, component)),
      spec: {
        podSelector: { matchLabels: selector(name) },
        policyTypes: ['Ingress', 'Egress'],
        [if ingressPort != null then 'ingress']: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: ingressPort }] }],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: p } for p in egressPorts] }],
      },
    };
    local service(s) =
      local name = kname(s.svc), db = kname(s.db), cache = kname(s.cache), l = labels(name, 'service');
      local cpu = range(if env.prod then s.prod_cpu else s.cpu), mem = range(if env.prod then s.prod_mem else s.mem);
      local config = { LOG_LEVEL: s.log_level, SERVICE_NAME: s.host, TEAM: s.team };
      local host = s.host + '.' + env.domain;
      local probe(path) = { httpGet: { path: path, port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };
      [
        serviceAccount(name, 'service'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name + '-env', l), data: config },
        {
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, l),
          spec: {
            selector: { matchLabels: selector(name) },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
            template: {
              metadata: { labels: l, annotations: { 'platc.dev/config-checksum': adler32(std.join('', [k + '=' + config[k] + '\n' for k in std.objectFields(config)])) } },
              spec: {
                serviceAccountName: name,
                securityContext: podSecCtx,
                containers: [{
                  name: name,
                  image: 'registry.platc.invalid/bench/services/' + s.host + ':' + version,
                  imagePullPolicy: 'IfNotPresent',
                  ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
                  env: [secretEnv('DATABASE_URL', db + '-connection'), configEnv('LOG_LEVEL', name + '-env'), secretEnv('REDIS_URL', cache + '-connection'), configEnv('SERVICE_NAME', name + '-env'), configEnv('TEAM', name + '-env')],
                  resources: { requests: { cpu: cpu.lo, memory: mem.lo }, limits: { cpu: cpu.hi, memory: mem.hi } },
                  livenessProbe: probe('/healthz'),
                  readinessProbe: probe('/ready'),
                  securityContext: secCtx,
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                }],
                volumes: [{ name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
        {
          apiVersion: 'v1', kind: 'Service', metadata: meta(name, l),
          spec: { type: 'ClusterIP', selector: selector(name), ports: [{ name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP' }] },
        },
        {
          apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta(name, l),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: name },
            minReplicas: s.replicas, maxReplicas: s.max_replicas,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: s.target_cpu } } }],
          },
        },
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(name, l), spec: { maxUnavailable: 1, selector: { matchLabels: selector(name) } } },
        {
          apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
          metadata: meta(host, base) {
            annotations: {
              'alb.ingress.kubernetes.io/scheme': 'internet-facing',
              'alb.ingress.kubernetes.io/target-type': 'ip',
              'alb.ingress.kubernetes.io/group.name': ns,
              'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
              'alb.ingress.kubernetes.io/ssl-redirect': '443',
              'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
            },
          },
          spec: {
            ingressClassName: 'alb',
            tls: [{ hosts: [host] }],
            rules: [{ host: host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: name, port: { name: 'http' } } } }] } }],
          },
        },
        netpol(name, 'service', s.port, [dbPort(s.engine), 6379]),
        connection(db),
        connection(cache),
      ];
    local job(s) =
      local name = kname(s.job), l = labels(name, 'job');
      [
        serviceAccount(name, 'job'),
        {
          apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(name, l),
          spec: {
            schedule: s.schedule, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid',
            jobTemplate: {
              metadata: { labels: l },
              spec: {
                backoffLimit: 0, activeDeadlineSeconds: 5400,
                template: {
                  metadata: { labels: l },
                  spec: {
                    serviceAccountName: name, restartPolicy: 'Never', securityContext: podSecCtx,
                    containers: [{
                      name: name,
                      image: 'registry.platc.invalid/bench/jobs/report:' + version,
                      imagePullPolicy: 'IfNotPresent',
                      command: ['python', '-m', 'jobs.report', '--service', s.host],
                      env: [secretEnv('DATABASE_URL', kname(s.db) + '-connection')],
                      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                      securityContext: secCtx,
                      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                    }],
                    volumes: [{ name: 'tmp', emptyDir: {} }],
                  },
                },
              },
            },
          },
        },
        netpol(name, 'job', null, [dbPort(s.engine)]),
      ];
    [
      {
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: ns, labels: base {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'platc.dev/pre-deploy': 'true',
        } },
      },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny', base), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('allow-dns', base),
        spec: {
          podSelector: {}, policyTypes: ['Egress'],
          egress: [{
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
          }],
        },
      },
    ] + std.flattenArrays([service(s) + job(s) for s in params.services]);

  { [e.name + '.json']: envObjects(e) for e in envs }
