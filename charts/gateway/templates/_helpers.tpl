{{/*
Names, labels and the per-tier building blocks shared by the templates. A "tier context" is
(dict "root" $ "key" "mtaEdge" "component" "mta-edge" "tier" .Values.mtaEdge).
*/}}

{{- define "gateway.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-wide name: the release name alone when it already contains the chart name. */}}
{{- define "gateway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The four tiers: values key to component name (Kubernetes names and the component label). */}}
{{- define "gateway.tierComponents" -}}
mtaEdge: mta-edge
senderIntelligence: sender-intelligence
fingerprintFilter: fingerprint-filter
retroRemediation: retro-remediation
{{- end -}}

{{/* The tier contexts of the enabled tiers, as a YAML list of keys (in a fixed order). */}}
{{- define "gateway.enabledTierKeys" -}}
{{- range $key := list "mtaEdge" "senderIntelligence" "fingerprintFilter" "retroRemediation" }}
{{- if (index $.Values $key).enabled }}
- {{ $key }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "gateway.tierName" -}}
{{- printf "%s-%s" (include "gateway.fullname" .root) .component -}}
{{- end -}}

{{- define "gateway.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object of the release (argument: the root context). */}}
{{- define "gateway.commonLabels" -}}
helm.sh/chart: {{ include "gateway.chartLabel" . }}
app.kubernetes.io/name: {{ include "gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gateway
{{- with .Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels selecting every pod of the release (argument: the root context). */}}
{{- define "gateway.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of one component's objects (argument: a context with root and component). */}}
{{- define "gateway.labels" -}}
{{ include "gateway.commonLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "gateway.selectorLabels" -}}
{{ include "gateway.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* registry/repository:tag or registry/repository@digest (argument: dict root, image). */}}
{{- define "gateway.image" -}}
{{- $registry := .root.Values.global.image.registry -}}
{{- $repository := .image.repository -}}
{{- if $registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository -}}
{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (toString (default (default .root.Chart.AppVersion .root.Values.global.image.tag) .image.tag)) -}}
{{- end -}}
{{- end -}}

{{/* The Secret with the gRPC and admin tokens: the operator's, or the one the chart creates. */}}
{{- define "gateway.authSecretName" -}}
{{- default (printf "%s-auth" (include "gateway.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{/* Where the token files are mounted in every tier's container. */}}
{{- define "gateway.authDir" -}}/etc/gateway/auth{{- end -}}

{{- define "gateway.kafkaBootstrapServers" -}}
{{- if .Values.kafka.bundled.enabled -}}
{{- printf "%s-kafka:9092" (include "gateway.fullname" .) -}}
{{- else -}}
{{- .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* Largest record of a topic (argument: dict root, topic): carriesMessages topics default to the largest
message plus 1 MiB of envelope. */}}
{{- define "gateway.topicMaxBytes" -}}
{{- if and .topic.carriesMessages (not .topic.maxMessageBytes) -}}
{{- include "gateway.int" (add (int64 .root.Values.mtaEdge.smtp.maxMessageBytes) 1048576) -}}
{{- else -}}
{{- include "gateway.int" .topic.maxMessageBytes -}}
{{- end -}}
{{- end -}}

{{/* Replicas per partition: the values, or 1 on the single bundled broker. */}}
{{- define "gateway.kafkaReplicationFactor" -}}
{{- if .Values.kafka.bundled.enabled -}}1{{- else -}}{{- include "gateway.int" .Values.kafka.replicationFactor -}}{{- end -}}
{{- end -}}

{{- define "gateway.redisConfiguration" -}}
{{- if .Values.redis.bundled.enabled -}}
{{- printf "%s-redis:6379" (include "gateway.fullname" .) -}}
{{- else -}}
{{- .Values.redis.configuration -}}
{{- end -}}
{{- end -}}

{{/* A whole number from values (parsed as float64, like Helm does) printed without an exponent. */}}
{{- define "gateway.int" -}}
{{- printf "%d" (int64 .) -}}
{{- end -}}

{{/* Seconds as a .NET TimeSpan (hh:mm:ss), the format the gateway's options bind. */}}
{{- define "gateway.timespan" -}}
{{- $s := int64 . -}}
{{- printf "%02d:%02d:%02d" (div $s 3600) (mod (div $s 60) 60) (mod $s 60) -}}
{{- end -}}

{{/* terminationGracePeriodSeconds of the edge: preStop sleep, session drain, host stop, 5 s slack. */}}
{{- define "gateway.edgeGracePeriod" -}}
{{- $d := .Values.mtaEdge.drain -}}
{{- add (int64 $d.preStopSleepSeconds) (int64 $d.deadlineSeconds) (int64 $d.hostMarginSeconds) 5 -}}
{{- end -}}

{{/*
Adds a configuration tree to an environment map (argument: dict env, prefix, value). Nested maps and
lists become Key__Sub__0 names, as ASP.NET Core's environment configuration provider reads them.
*/}}
{{- define "gateway.flattenConfig" -}}
{{- $value := .value -}}
{{- if kindIs "map" $value -}}
{{- range $k, $v := $value -}}
{{- include "gateway.flattenConfig" (dict "env" $.env "prefix" (printf "%s__%s" $.prefix $k) "value" $v) -}}
{{- end -}}
{{- else if kindIs "slice" $value -}}
{{- range $i, $v := $value -}}
{{- include "gateway.flattenConfig" (dict "env" $.env "prefix" (printf "%s__%d" $.prefix $i) "value" $v) -}}
{{- end -}}
{{- else if kindIs "invalid" $value -}}
{{- else if and (kindIs "float64" $value) (eq $value (floor $value)) -}}
{{- $_ := set .env .prefix (printf "%d" (int64 $value)) -}}
{{- else -}}
{{- $_ := set .env .prefix (toString $value) -}}
{{- end -}}
{{- end -}}

{{/* The plain (non-secret) environment of a tier as a name-to-value map (argument: tier context + env). */}}
{{- define "gateway.collectEnv" -}}
{{- $root := .root -}}
{{- $tier := .tier -}}
{{- $env := .env -}}
{{- $v := $root.Values -}}
{{- include "gateway.flattenConfig" (dict "env" $env "prefix" "Gateway__Domains" "value" $v.global.domains) -}}
{{- with $v.global.hostname }}{{ $_ := set $env "Gateway__Hostname" . }}{{ end -}}
{{- $_ := set $env "Gateway__DataDir" "/var/lib/gateway" -}}
{{- $_ := set $env "Logging__LogLevel__Default" $v.global.logLevel -}}
{{- /* HTTP/1.1 for /metrics and /healthz, cleartext HTTP/2 for gRPC (what kubelet's gRPC probe speaks). */ -}}
{{- $_ := set $env "Gateway__Service__HttpListen" (printf "0.0.0.0:%d" (int64 $tier.ports.http)) -}}
{{- $_ := set $env "Gateway__Service__GrpcListen" (printf "0.0.0.0:%d" (int64 $tier.ports.grpc)) -}}
{{- /* The pods listen on 0.0.0.0: every gRPC call (health excepted) carries the shared token, read from the
mounted Secret (a file, so it is re-read on rotation and never sits in the environment). The edge's gRPC
clients send the same token: without Gateway:Cluster:GrpcTokenFile they use the service's own. */ -}}
{{- $_ := set $env "Gateway__Service__GrpcTokenFile" (printf "%s/grpc-token" (include "gateway.authDir" $root)) -}}
{{- with $v.global.otlpEndpoint }}{{ $_ := set $env "Gateway__Telemetry__OtlpEndpoint" . }}{{ end -}}
{{- /* Shared state and transport. */ -}}
{{- $_ := set $env "Gateway__Redis__KeyPrefix" $v.redis.keyPrefix -}}
{{- $_ := set $env "Gateway__Kafka__BootstrapServers" (include "gateway.kafkaBootstrapServers" $root) -}}
{{- $_ := set $env "Gateway__Kafka__TopicPrefix" $v.kafka.topicPrefix -}}
{{- $_ := set $env "Gateway__Kafka__CreateTopics" (toString $v.kafka.createTopics) -}}
{{- $_ := set $env "Gateway__Kafka__Partitions" (include "gateway.int" $v.kafka.partitions) -}}
{{- $_ := set $env "Gateway__Kafka__ReplicationFactor" (include "gateway.kafkaReplicationFactor" $root) -}}
{{- /* librdkafka settings, passed through Gateway:Kafka:Client as they are. */ -}}
{{- $_ := set $env "Gateway__Kafka__Client__security.protocol" $v.kafka.securityProtocol -}}
{{- with $v.kafka.sasl.mechanism }}{{ $_ := set $env "Gateway__Kafka__Client__sasl.mechanism" . }}{{ end -}}
{{- with $v.kafka.tls.caSecret -}}
{{- $_ := set $env "Gateway__Kafka__Client__ssl.ca.location" (printf "/etc/gateway/kafka-ca/%s" $v.kafka.tls.caKey) -}}
{{- end -}}
{{- with $v.kafka.tls.clientSecret -}}
{{- $_ := set $env "Gateway__Kafka__Client__ssl.certificate.location" "/etc/gateway/kafka-client/tls.crt" -}}
{{- $_ := set $env "Gateway__Kafka__Client__ssl.key.location" "/etc/gateway/kafka-client/tls.key" -}}
{{- end -}}
{{- include "gateway.flattenConfig" (dict "env" $env "prefix" "Gateway__Kafka__Client" "value" $v.kafka.client) -}}
{{- /* Where the other tiers answer gRPC, and how long a call to each may take. */ -}}
{{- $components := include "gateway.tierComponents" $root | fromYaml -}}
{{- range $key := include "gateway.enabledTierKeys" $root | fromYamlArray -}}
{{- if ne $key "mtaEdge" -}}
{{- $other := index $v $key -}}
{{- $name := include "gateway.tierName" (dict "root" $root "component" (index $components $key)) -}}
{{- $prefix := printf "Gateway__Cluster__%s" (title $key) -}}
{{- $_ := set $env (printf "%s__Address" $prefix) (printf "http://%s.%s.svc:%d" $name $root.Release.Namespace (int64 $other.ports.grpc)) -}}
{{- $_ := set $env (printf "%s__Deadline" $prefix) $other.grpc.deadline -}}
{{- $_ := set $env (printf "%s__FailOpen" $prefix) (toString $other.grpc.failOpen) -}}
{{- end -}}
{{- end -}}
{{- /* Tier-specific settings. */ -}}
{{- if eq .key "mtaEdge" -}}
{{- $smtp := $tier.smtp -}}
{{- $listen := printf "%s:%d" $smtp.listenAddress (int64 $tier.ports.smtp) -}}
{{- if contains ":" $smtp.listenAddress -}}
{{- $listen = printf "[%s]:%d" $smtp.listenAddress (int64 $tier.ports.smtp) -}}
{{- end -}}
{{- if $tier.proxyProtocol.enabled -}}
{{- /* Only the PROXY listener: a plain one would let anyone inside the cluster bypass the client address. */ -}}
{{- $_ := set $env "Gateway__Smtp__Listen" "" -}}
{{- $_ := set $env "Gateway__Smtp__ProxyListen" $listen -}}
{{- include "gateway.flattenConfig" (dict "env" $env "prefix" "Gateway__Smtp__ProxyTrustedNetworks" "value" $tier.proxyProtocol.trustedCidrs) -}}
{{- else -}}
{{- $_ := set $env "Gateway__Smtp__Listen" $listen -}}
{{- end -}}
{{- $_ := set $env "Gateway__Smtp__MaxMessageBytes" (include "gateway.int" $smtp.maxMessageBytes) -}}
{{- $_ := set $env "Gateway__Smtp__MaxSessions" (include "gateway.int" $smtp.maxSessions) -}}
{{- $_ := set $env "Gateway__Smtp__ShutdownGrace" (include "gateway.timespan" $tier.drain.deadlineSeconds) -}}
{{- /* The host's own stop timeout covers the session drain plus the rest of shutdown. */ -}}
{{- $_ := set $env "DOTNET_SHUTDOWNTIMEOUTSECONDS" (include "gateway.int" (add (int64 $tier.drain.deadlineSeconds) (int64 $tier.drain.hostMarginSeconds))) -}}
{{- with $smtp.tls.existingSecret -}}
{{- $_ := set $env "Gateway__Smtp__TlsCertificateFile" "/etc/gateway/smtp-tls/tls.crt" -}}
{{- $_ := set $env "Gateway__Smtp__TlsKeyFile" "/etc/gateway/smtp-tls/tls.key" -}}
{{- end -}}
{{- $_ := set $env "Gateway__Admin__TokenFile" (printf "%s/admin-token" (include "gateway.authDir" $root)) -}}
{{- $_ := set $env "Gateway__Delivery__Target" $tier.delivery.target -}}
{{- $_ := set $env "Gateway__Delivery__Kafka__ConsumerGroup" $v.kafka.consumerGroups.delivery -}}
{{- end -}}
{{- if eq .key "retroRemediation" -}}
{{- with $tier.imap.host -}}
{{- $_ := set $env "Gateway__Remediation__Imap__Host" . -}}
{{- $_ := set $env "Gateway__Remediation__Imap__Port" (include "gateway.int" $tier.imap.port) -}}
{{- $_ := set $env "Gateway__Remediation__Imap__Security" $tier.imap.security -}}
{{- $_ := set $env "Gateway__Remediation__Imap__MasterUser" $tier.imap.masterUser -}}
{{- end -}}
{{- end -}}
{{- /* Operator configuration last, so it can override any of the above. */ -}}
{{- include "gateway.flattenConfig" (dict "env" $env "prefix" "Gateway" "value" $v.global.config) -}}
{{- include "gateway.flattenConfig" (dict "env" $env "prefix" "Gateway" "value" $tier.config) -}}
{{- end -}}

{{/* The container env list of a tier: downward API and secrets first, so $(REFERENCES) resolve. */}}
{{- define "gateway.env" -}}
{{- $v := .root.Values -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: OTEL_RESOURCE_ATTRIBUTES
  value: "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)"
{{- if $v.kafka.sasl.mechanism }}
- name: Gateway__Kafka__Client__sasl.username
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.usernameKey }}
- name: Gateway__Kafka__Client__sasl.password
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.passwordKey }}
{{- end }}
{{- if and $v.redis.existingSecret (not $v.redis.bundled.enabled) }}
- name: GATEWAY_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.redis.existingSecret }}
      key: {{ $v.redis.passwordKey }}
- name: Gateway__Redis__Configuration
  value: {{ printf "%s,password=$(GATEWAY_REDIS_PASSWORD)" (include "gateway.redisConfiguration" .root) | toJson }}
{{- else }}
- name: Gateway__Redis__Configuration
  value: {{ include "gateway.redisConfiguration" .root | toJson }}
{{- end }}
{{- if and (eq .key "retroRemediation") .tier.imap.host .tier.imap.existingSecret }}
- name: Gateway__Remediation__Imap__MasterPassword
  valueFrom:
    secretKeyRef:
      name: {{ .tier.imap.existingSecret }}
      key: {{ .tier.imap.passwordKey }}
{{- end }}
{{- $env := dict }}
{{- include "gateway.collectEnv" (merge (dict "env" $env) .) }}
{{- range $name := keys $env | sortAlpha }}
- name: {{ $name }}
  value: {{ index $env $name | toString | toJson }}
{{- end }}
{{- with .tier.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod security context of a tier: global defaults with the tier's own settings over them. */}}
{{- define "gateway.podSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.global.podSecurityContext) (deepCopy .tier.podSecurityContext)) -}}
{{- end -}}

{{- define "gateway.containerSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.global.securityContext) (deepCopy .tier.securityContext)) -}}
{{- end -}}

{{/* Topology spread of a tier: explicit constraints, else zone and node spread from global.topologySpread. */}}
{{- define "gateway.topologySpread" -}}
{{- if .tier.topologySpreadConstraints -}}
{{- toYaml .tier.topologySpreadConstraints -}}
{{- else if .root.Values.global.topologySpread.enabled -}}
{{- $spread := .root.Values.global.topologySpread -}}
{{- range $key := list $spread.zoneKey $spread.hostKey }}
- maxSkew: {{ $spread.maxSkew }}
  topologyKey: {{ $key }}
  whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "gateway.selectorLabels" $ | nindent 6 }}
  matchLabelKeys:
    - pod-template-hash
{{- end }}
{{- end -}}
{{- end -}}

{{/* An int-or-string value (a count or a percentage such as "50%"). */}}
{{- define "gateway.intOrString" -}}
{{- if kindIs "string" . -}}
{{- . | quote -}}
{{- else -}}
{{- printf "%d" (int64 .) -}}
{{- end -}}
{{- end -}}

{{/* PromQL label matchers selecting this release's scrape targets (the job is the Service name). */}}
{{- define "gateway.promSelector" -}}
{{- $components := include "gateway.tierComponents" . | fromYaml -}}
{{- $names := list -}}
{{- range $key := include "gateway.enabledTierKeys" . | fromYamlArray -}}
{{- $names = append $names (index $components $key) -}}
{{- end -}}
{{- printf "namespace=%q,job=~%q" .Release.Namespace (printf "%s-(%s)" (include "gateway.fullname" .) (join "|" $names)) -}}
{{- end -}}

{{/*
Checks the values as a whole and fails once, naming every problem, so an operator fixes them in one go.
Every rendered template includes it first (Helm stops at the first failing template).
*/}}
{{- define "gateway.validate" -}}
{{- $v := .Values -}}
{{- $errors := list -}}
{{- if not $v.global.domains -}}
{{- $errors = append $errors "global.domains must name at least one domain the gateway accepts mail for" -}}
{{- end -}}
{{- if and (not $v.kafka.bundled.enabled) (not $v.kafka.bootstrapServers) -}}
{{- $errors = append $errors "kafka.bootstrapServers is required (or set kafka.bundled.enabled=true for a dev install)" -}}
{{- end -}}
{{- if and (not $v.redis.bundled.enabled) (not $v.redis.configuration) -}}
{{- $errors = append $errors "redis.configuration is required (or set redis.bundled.enabled=true for a dev install)" -}}
{{- end -}}
{{- if and $v.kafka.sasl.mechanism (not $v.kafka.sasl.existingSecret) -}}
{{- $errors = append $errors "kafka.sasl.existingSecret is required when kafka.sasl.mechanism is set" -}}
{{- end -}}
{{- $edge := $v.mtaEdge -}}
{{- if $edge.enabled -}}
{{- if not $edge.delivery.target -}}
{{- $errors = append $errors "mtaEdge.delivery.target is required (e.g. lmtp://dovecot.mail:24)" -}}
{{- end -}}
{{- if and $edge.proxyProtocol.enabled (not $edge.proxyProtocol.trustedCidrs) -}}
{{- $errors = append $errors "mtaEdge.proxyProtocol.trustedCidrs must list the load balancer's networks when PROXY protocol is enabled" -}}
{{- end -}}
{{- range $key, $topic := $v.kafka.topics -}}
{{- if and $topic.carriesMessages $topic.maxMessageBytes (lt (int64 $topic.maxMessageBytes) (add (int64 $edge.smtp.maxMessageBytes) 65536)) -}}
{{- $errors = append $errors (printf "kafka.topics.%s.maxMessageBytes (%d) must exceed mtaEdge.smtp.maxMessageBytes (%d) by at least 64 KiB for the envelope" $key (int64 $topic.maxMessageBytes) (int64 $edge.smtp.maxMessageBytes)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $key := list "mtaEdge" "senderIntelligence" "fingerprintFilter" "retroRemediation" -}}
{{- $tier := index $v $key -}}
{{- if $tier.enabled -}}
{{- if $tier.pdb.enabled -}}
{{- $hasMin := not (kindIs "invalid" $tier.pdb.minAvailable) -}}
{{- $hasMax := not (kindIs "invalid" $tier.pdb.maxUnavailable) -}}
{{- if eq $hasMin $hasMax -}}
{{- $errors = append $errors (printf "%s.pdb: set exactly one of minAvailable and maxUnavailable, not both or neither" $key) -}}
{{- end -}}
{{- end -}}
{{- $scale := $tier.autoscaling -}}
{{- if and $scale.enabled (not $tier.keda.enabled) (not (or $scale.targetCPUUtilizationPercentage $scale.podMetrics $scale.metrics)) -}}
{{- $errors = append $errors (printf "%s.autoscaling needs targetCPUUtilizationPercentage, podMetrics or metrics" $key) -}}
{{- end -}}
{{- if and $scale.enabled (gt (int64 $scale.minReplicas) (int64 $scale.maxReplicas)) -}}
{{- $errors = append $errors (printf "%s.autoscaling.minReplicas exceeds maxReplicas" $key) -}}
{{- end -}}
{{- $keda := $tier.keda -}}
{{- if $keda.enabled -}}
{{- if not (and $keda.consumerGroup (hasKey $v.kafka.consumerGroups $keda.consumerGroup)) -}}
{{- $errors = append $errors (printf "%s.keda.consumerGroup must be a key of kafka.consumerGroups" $key) -}}
{{- end -}}
{{- if not $keda.topics -}}
{{- $errors = append $errors (printf "%s.keda.topics must list the topics whose lag scales the tier" $key) -}}
{{- end -}}
{{- range $keda.topics -}}
{{- if not (hasKey $v.kafka.topics .) -}}
{{- $errors = append $errors (printf "%s.keda.topics: %s is not a key of kafka.topics" $key .) -}}
{{- end -}}
{{- end -}}
{{- if gt (int64 $keda.minReplicas) (int64 $keda.maxReplicas) -}}
{{- $errors = append $errors (printf "%s.keda.minReplicas exceeds maxReplicas" $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\nthe values need fixing:\n  - %s" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
