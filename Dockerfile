# The telegate image that `telegate k8s render` names (spec field `image`): the bundled CLI on Node 20,
# production dependencies only, run as a non-root user (uid 10001, as the rendered pods ask).
#   docker build -t ghcr.io/telegate/telegate:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The bundle leaves out only the native bcrypt and @kubernetes/client-node: they come from here.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY proto ./proto
COPY examples ./examples
USER 10001:10001
EXPOSE 4317 4318 13133 16686
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
