#!/usr/bin/env python3
"""Helpers for scripts/test-env/setup.sh (Python 3 standard library only).

Subcommands:
  mirror                         print the Debian mirror URL found in the machine's apt sources
  compact-json FILE              print FILE's JSON on one line (compact)
  cog-config FILE                print a (simple) cog.yaml as compact JSON
  registry-image REG REPO TAG [USER PASSWORD]
                                 print "<manifest digest> <config digest> <cogdesk.fixture-hash label>",
                                 or "missing" when the registry has no such manifest
  write-manifest OUT TSV         write fixtures.json from the tab-separated records setup.sh collected
"""

import base64
import glob
import json
import os
import re
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import datetime, timezone

MANIFEST_TYPES = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
])


def fail(message):
    sys.stderr.write(f"testenv.py: {message}\n")
    sys.exit(1)


# ---------------------------------------------------------------------------------------------------
# apt sources
# ---------------------------------------------------------------------------------------------------


def usable(uri):
    return uri.startswith(("http://", "https://", "file:/"))


def mirror():
    """The first Debian archive URI serving the plain "bookworm" suite (not -security/-updates)."""
    candidates = []  # (rank, uri): rank 0 = serves "bookworm" exactly, 1 = some other suite
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        try:
            text = open(path, encoding="utf-8").read()
        except OSError:
            continue
        for stanza in re.split(r"\n\s*\n", text):
            fields = {}
            key = None
            for line in stanza.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line[0] in " \t" and key:
                    fields[key] += " " + line.strip()
                    continue
                if ":" in line:
                    key, _, value = line.partition(":")
                    key = key.strip().lower()
                    fields[key] = value.strip()
            if "deb" not in fields.get("types", "").split():
                continue
            if fields.get("enabled", "yes").lower() == "no":
                continue
            suites = fields.get("suites", "").split()
            for uri in fields.get("uris", "").split():
                if usable(uri) and "security" not in uri:
                    candidates.append((0 if "bookworm" in suites else 1, uri))
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line.startswith("deb "):
                continue
            line = re.sub(r"\[[^\]]*\]", " ", line[4:])
            parts = line.split()
            if len(parts) < 2 or not usable(parts[0]) or "security" in parts[0]:
                continue
            candidates.append((0 if parts[1] == "bookworm" else 1, parts[0]))
    if not candidates:
        fail("no usable Debian mirror in /etc/apt/sources.list(.d); set COGDESK_DEBIAN_MIRROR")
    candidates.sort(key=lambda c: c[0])
    print(candidates[0][1].rstrip("/"))


# ---------------------------------------------------------------------------------------------------
# JSON / cog.yaml
# ---------------------------------------------------------------------------------------------------


def compact_json(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    print(json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def yaml_scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    if text in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def cog_config(path):
    """Enough YAML for cog.yaml files made of nested mappings and scalars."""
    root = {}
    stack = [(-1, root)]
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" "))
            match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+):(\s+(.*))?", line)
            if not match:
                fail(f"{path}:{number}: unsupported YAML (only nested mappings and scalars)")
            key, value = match.group(1), match.group(3)
            while stack and indent <= stack[-1][0]:
                stack.pop()
            parent = stack[-1][1]
            if value is None or value.strip() == "":
                child = {}
                parent[key] = child
                stack.append((indent, child))
            else:
                parent[key] = yaml_scalar(value)
    print(json.dumps(root, separators=(",", ":")))


# ---------------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------------


def registry_get(url, accept, auth):
    headers = {"Accept": accept}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=15) as resp:
        return resp.read(), resp.headers


def registry_image(registry, repo, tag, user=None, password=None):
    auth = f"{user}:{password}" if user else None
    base = f"http://{registry}/v2/{repo}"
    try:
        body, headers = registry_get(f"{base}/manifests/{tag}", MANIFEST_TYPES, auth)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            print("missing")
            return
        fail(f"registry {registry} answered {exc.code} for {repo}:{tag}")
    except OSError as exc:
        fail(f"registry {registry} unreachable: {exc}")
    digest = headers.get("Docker-Content-Digest")
    manifest = json.loads(body)
    config = (manifest.get("config") or {}).get("digest")
    if not digest or not config:
        print("missing")
        return
    try:
        blob, _ = registry_get(f"{base}/blobs/{config}", "*/*", auth)
    except (urllib.error.HTTPError, OSError):
        print("missing")
        return
    labels = (json.loads(blob).get("config") or {}).get("Labels") or {}
    print(digest, config, labels.get("cogdesk.fixture-hash", "-"))


# ---------------------------------------------------------------------------------------------------
# fixtures.json
# ---------------------------------------------------------------------------------------------------


def write_manifest(out, tsv):
    images = {}
    meta = {}
    with open(tsv, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "meta":
                meta[parts[1]] = parts[2]
                continue
            name, ref, digest, image_id, predictor, labels, fixture_hash, auth = parts
            repository, _, tag = ref.rpartition(":")
            registry = ref.split("/", 1)[0]
            images[name] = {
                "ref": ref,
                "registry": registry,
                "repository": repository,
                "tag": tag,
                "digest": digest,
                "pinnedRef": f"{repository}@{digest}",
                "imageId": image_id,
                "predictor": predictor,
                "labels": labels,
                "requiresAuth": auth == "yes",
                "fixtureHash": fixture_hash,
            }
    doc = {
        "generatedAt": datetime.now(timezone.utc).isoformat(),
        "openRegistry": meta.get("openRegistry"),
        "authRegistry": meta.get("authRegistry"),
        "authUser": meta.get("authUser"),
        "authPassword": meta.get("authPassword"),
        "baseImage": meta.get("baseImage"),
        "images": images,
    }
    directory = os.path.dirname(out) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".fixtures.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)


def main(argv):
    if not argv:
        fail("missing subcommand")
    cmd, args = argv[0], argv[1:]
    if cmd == "mirror":
        mirror()
    elif cmd == "compact-json" and len(args) == 1:
        compact_json(args[0])
    elif cmd == "cog-config" and len(args) == 1:
        cog_config(args[0])
    elif cmd == "registry-image" and len(args) in (3, 5):
        registry_image(*args)
    elif cmd == "write-manifest" and len(args) == 2:
        write_manifest(*args)
    else:
        fail(f"bad usage: {' '.join(argv)}")


if __name__ == "__main__":
    main(sys.argv[1:])
