// The spec `telegate k8s render` reads: one gateway cluster, its edges, and the few choices that differ
// between sites. Declared once in TypeBox and checked by the config validator, so a mistake is reported
// with its YAML path, line and column, and "did you mean" — as a collector config is.
import Type, { type Static } from 'typebox';
import { CLIENT_SECRET_KEY, PASSWORD_KEY } from './names.ts';

/** A DNS-1123 label: what Kubernetes accepts as a namespace name and what makes a safe directory name. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
/** A DNS name (the ingress host): labels joined by dots. */
const DNS_NAME = '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$';

const Acme = Type.Object(
  {
    email: Type.String({
      minLength: 1,
      description: "The ACME account's contact address (Let's Encrypt expiry mail).",
    }),
    server: Type.Union([Type.Literal('staging'), Type.Literal('production')], {
      default: 'staging',
      description:
        "Let's Encrypt's staging (untrusted test certificates, generous rate limits) or production directory.",
    }),
  },
  {
    additionalProperties: false,
    description: 'Render a cert-manager ClusterIssuer that solves HTTP-01 through the ingress.',
  },
);

const Ingress = Type.Object(
  {
    class: Type.String({
      default: 'nginx',
      minLength: 1,
      description: 'The ingressClassName (an ingress-nginx class).',
    }),
    acme: Type.Optional(Acme),
    cluster_issuer: Type.String({
      default: '',
      description:
        'An existing cert-manager ClusterIssuer to name in the Ingress annotation, when acme is not given. Empty with no acme: the TLS Secret is provided by hand.',
    }),
  },
  { default: {}, additionalProperties: false, description: 'How the gateway is exposed.' },
);

const OtlpBackend = Type.Object(
  {
    otlp: Type.Object(
      {
        endpoint: Type.String({ minLength: 1, description: 'host:port of an OTLP/gRPC trace backend.' }),
        insecure: Type.Boolean({ default: true, description: 'Plain-text gRPC (in-cluster traffic).' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Replicas = Type.Object(
  {
    min: Type.Integer({ default: 2, minimum: 1, description: 'Replicas kept at least (and the HPA minimum).' }),
    max: Type.Integer({ default: 6, minimum: 1, description: 'The HPA maximum.' }),
    cpu_utilization: Type.Integer({
      default: 70,
      minimum: 1,
      maximum: 100,
      description: 'Average CPU utilization (% of requests) the HPA aims for.',
    }),
  },
  { default: {}, additionalProperties: false, description: 'How the gateway scales out behind the ingress.' },
);

const Oidc = Type.Object(
  {
    issuer: Type.String({
      minLength: 1,
      description: "The OpenID provider's issuer URL (the gateway's oidc issuer_url).",
    }),
    audience: Type.String({ minLength: 1, description: 'The `aud` every edge token must carry.' }),
    token_url: Type.String({
      minLength: 1,
      description: "The provider's token endpoint the edges' oauth2client asks (no discovery on the client side).",
    }),
    scopes: Type.Array(Type.String(), { default: [], description: 'Scopes the edges request.' }),
  },
  { additionalProperties: false },
);

const Auth = Type.Object(
  { oidc: Oidc },
  {
    additionalProperties: false,
    description:
      'How edges authenticate. Absent: Basic credentials checked against an htpasswd Secret. oidc: bearer tokens (client credentials grant), one provider client per edge.',
  },
);

const Gateway = Type.Object(
  {
    cluster: Type.String({ pattern: DNS_LABEL, description: 'The gateway cluster: the name of its output directory.' }),
    namespace: Type.String({ default: 'telemetry', pattern: DNS_LABEL, description: 'Namespace of every object.' }),
    host: Type.String({ pattern: DNS_NAME, description: 'The public name of the ingress; edges export to host:443.' }),
    ingress: Ingress,
    backend: Type.Union([Type.Literal('all-in-one'), OtlpBackend], {
      default: 'all-in-one',
      description: "Where the gateway exports: telegate's all-in-one trace backend, or an OTLP/gRPC endpoint.",
    }),
    replicas: Replicas,
    auth: Type.Optional(Auth),
    max_recv_msg_size_mib: Type.Integer({
      default: 4,
      minimum: 1,
      maximum: 1024,
      description: "The receiver's largest request; the ingress's proxy-body-size follows it.",
    }),
  },
  { additionalProperties: false },
);

const Edge = Type.Object(
  {
    cluster: Type.String({ pattern: DNS_LABEL, description: 'The edge cluster: k8s.cluster.name and its directory.' }),
    zone: Type.String({ minLength: 1, description: 'cloud.availability_zone stamped on its data.' }),
    namespace: Type.String({ default: '', description: "Namespace of the edge's objects; default the gateway's." }),
    user: Type.String({ default: '', description: 'basicauth user name; default the cluster name.' }),
    password: Type.String({
      default: '',
      description:
        "The password; default: the one in an earlier render's Secret, else a generated one. Given here, the spec is a secret too.",
    }),
    client_id: Type.String({
      default: '',
      description: "With auth: oidc, the edge's client id; default the cluster name.",
    }),
    client_secret: Type.String({
      default: '',
      description:
        "With auth: oidc, the client secret the provider issued; default: the one in an earlier render's Secret (never generated). Given here, the spec is a secret too.",
    }),
    generator: Type.Object(
      {
        replicas: Type.Integer({ default: 1, minimum: 0, description: 'Trace generator pods (0: none run).' }),
        rate: Type.Integer({ default: 5, minimum: 1, description: 'Traces per second per generator pod.' }),
      },
      { default: {}, additionalProperties: false, description: 'The test trace generator of this edge.' },
    ),
  },
  { additionalProperties: false },
);

/** The spec's schema. */
export const K8sSpecSchema = Type.Object(
  {
    image: Type.String({
      default: 'ghcr.io/telegate/telegate:0.1.0',
      minLength: 1,
      description: "The telegate image (built by the repository's Dockerfile).",
    }),
    contrib_image: Type.String({
      default: 'otel/opentelemetry-collector-contrib:0.139.0',
      minLength: 1,
      description: 'The collector image with --runtime otelcol-contrib.',
    }),
    gateway: Gateway,
    edges: Type.Array(Edge, { minItems: 1, description: 'The edge clusters that send to the gateway.' }),
  },
  { additionalProperties: false },
);

/** A validated spec, defaults applied. */
export type K8sSpec = Static<typeof K8sSpecSchema>;
/** One edge of a spec. */
export type EdgeSpec = K8sSpec['edges'][number];

/** The namespace an edge's objects go to. */
export function edgeNamespace(spec: K8sSpec, edge: EdgeSpec): string {
  return edge.namespace === '' ? spec.gateway.namespace : edge.namespace;
}

/** The OIDC settings, when edges authenticate with tokens. */
export type OidcSpec = Static<typeof Oidc>;

/** The OIDC settings of the spec, or undefined for basicauth. */
export function oidcOf(spec: K8sSpec): OidcSpec | undefined {
  return spec.gateway.auth?.oidc;
}

/** The oauth2 client id of an edge. */
export function edgeClientId(edge: EdgeSpec): string {
  return edge.client_id === '' ? edge.cluster : edge.client_id;
}

/** The key of an edge's Secret that holds its credential: the password, or the oidc client secret. */
export function edgeSecretKey(spec: K8sSpec): string {
  return oidcOf(spec) === undefined ? PASSWORD_KEY : CLIENT_SECRET_KEY;
}

/** The basicauth user of an edge. */
export function edgeUser(edge: EdgeSpec): string {
  return edge.user === '' ? edge.cluster : edge.user;
}
