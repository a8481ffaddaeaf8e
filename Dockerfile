# negotiator serve for a legal-aid office's own network (see docs/serve.md).
#   docker build -t negotiator .
#   docker run --rm -p 8000:8000 negotiator
FROM python:3.11-slim

# gcc builds durable-rules (it ships only as source); fonts let printed letters show Chinese.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY negotiator ./negotiator
COPY rules ./rules
COPY templates ./templates
RUN pip install --no-cache-dir '.[web]' \
 && apt-get purge -y gcc libc6-dev && apt-get autoremove -y \
 && rm -rf /src

# No volume and nothing written: answers live in memory only, for the session.
RUN useradd --create-home --shell /usr/sbin/nologin negotiator
USER negotiator
WORKDIR /home/negotiator
EXPOSE 8000
CMD ["negotiator", "serve", "--host", "0.0.0.0", "--port", "8000"]
