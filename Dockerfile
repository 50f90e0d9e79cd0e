# RPA Vision for Node-RED — container image, in the spirit of the official Node-RED image:
# non-root user, /data volume (Node-RED user dir + the product's data), port 1880, healthcheck.
# It includes Xvfb, so the product can run its own virtual display (RPA_VISION_XVFB=1, the
# default) or use an X server you mount (-e DISPLAY=... -v /tmp/.X11-unix:/tmp/.X11-unix).
#
# It listens on every interface of the container, so it needs a login (README, Security):
#   docker build -t rpa-vision .
#   docker run -p 1880:1880 -v rpa-data:/data \
#     -e NODE_RED_ADMIN_USER=admin -e NODE_RED_ADMIN_PASSWORD_HASH='<bcrypt hash>' rpa-vision

# ---- build: compile TypeScript, then keep production dependencies only ----
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# ---- runtime ----
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends xvfb openbox xdotool x11-utils x11-xserver-utils fonts-dejavu-core fonts-liberation2 tini \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 1001 node-red && useradd -u 1001 -g node-red -m -d /home/node-red node-red \
 && mkdir -p /data && chown node-red:node-red /data
WORKDIR /usr/src/rpa-vision
COPY --from=build --chown=node-red:node-red /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node-red:node-red /app/node_modules ./node_modules
COPY --from=build --chown=node-red:node-red /app/dist ./dist
COPY --from=build --chown=node-red:node-red /app/flows ./flows
COPY --from=build --chown=node-red:node-red /app/examples ./examples
COPY --from=build --chown=node-red:node-red /app/models ./models
COPY --from=build --chown=node-red:node-red /app/schemas ./schemas
COPY --chown=node-red:node-red docker/entrypoint.sh /usr/local/bin/rpa-vision-entrypoint
USER node-red
ENV NODE_ENV=production \
    PORT=1880 \
    RPA_VISION_HOST=0.0.0.0 \
    NODE_RED_USER_DIR=/data \
    RPA_VISION_DATA_DIR=/data/rpa-vision-data \
    RPA_VISION_XVFB=1 \
    RPA_VISION_SCREEN=1920x1080x24
VOLUME ["/data"]
EXPOSE 1880
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||1880)+'/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "rpa-vision-entrypoint"]
CMD ["node", "dist/scripts/start.js"]
