# The hub as compose.yaml runs it (no registry is reached by the tests; see README "Running several nodes").
FROM node:20-bookworm-slim
WORKDIR /app
# `npm ci`'s prepare builds the pages; their rare-glyph fonts come from Debian by `apt-get download`.
RUN apt-get update -qq && rm -f /etc/apt/apt.conf.d/docker-clean
COPY . .
RUN npm ci --no-audit --no-fund && npm cache clean --force && chown -R node:node .output
USER node
EXPOSE 8080
# npm passes SIGTERM to the hub (`exec node …`), which drains and exits 0.
CMD ["npm", "start"]
