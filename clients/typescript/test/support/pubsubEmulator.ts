/** Starts the gcloud Pub/Sub emulator for a test, the way the Java tests do (emulator/Emulators). */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

const COMPONENT = "platform/pubsub-emulator";
const STARTUP = 60_000;

/** A running emulator: where it listens and how to stop it. */
export interface PubSubEmulator {
  host: string;
  stop(): Promise<void>;
}

/** The SDK root holding the emulator (CLOUDSDK_ROOT, gcloud info, the Debian folders), or a reason. */
export function emulatorJar(): { jar: string } | { missing: string } {
  const roots: string[] = [];
  if (process.env.CLOUDSDK_ROOT) roots.push(process.env.CLOUDSDK_ROOT);
  try {
    const root = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (root) roots.push(root);
  } catch {
    // gcloud not on PATH: try the usual folders.
  }
  roots.push("/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk");
  for (const root of roots) {
    const lib = join(root, COMPONENT, "lib");
    if (!existsSync(lib)) continue;
    const jar = readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*\.jar$/.test(f));
    if (jar) return { jar: join(lib, jar) };
  }
  return { missing: `no Pub/Sub emulator (${COMPONENT}) under ${roots.join(", ")}` };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => ok(port));
    });
  });
}

/** Starts the emulator on a free loopback port and waits until it listens. */
export async function startPubSubEmulator(jar: string): Promise<PubSubEmulator> {
  const port = await freePort();
  // The build's grpc-api patch (see Emulators.grpcApiPatch) when the Maven build made it.
  const patch = resolve(import.meta.dirname, "../../../../target/emulator-lib/grpc-api-1.68.1.jar");
  const args = existsSync(patch)
    ? ["-Xmx256m", "-cp", `${patch}:${jar}`, "com.google.cloud.pubsub.testing.v1.Main"]
    : ["-Xmx256m", "-jar", jar];
  const child: ChildProcess = spawn("java", [...args, "--host=127.0.0.1", `--port=${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`Pub/Sub emulator not ready in ${STARTUP} ms:\n${output}`)),
      STARTUP,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`Server started, listening on ${port}`)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`Pub/Sub emulator exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.removeAllListeners("data");
  child.stderr?.removeAllListeners("data");
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.removeAllListeners("exit");
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}
