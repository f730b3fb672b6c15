{{- define "probe.greet" -}}
hello {{ .Values.name }}
{{- end -}}
