package dev.orgprovisioner.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a port of its own in front of a service: {@link #cut()} drops every connection
 * and refuses new ones, as a network outage would, while the service keeps its state; {@link
 * #restore()} forwards again on the same port.
 */
public final class TcpForwarder implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  private TcpForwarder(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = bind(0);
    this.port = server.getLocalPort();
    accept(server);
  }

  /** A forwarder to {@code hostPort} ({@code host:port}), forwarding from now on. */
  public static TcpForwarder to(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return new TcpForwarder(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where clients connect: {@code 127.0.0.1:port}. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** Drops every connection and refuses new ones. */
  public synchronized void cut() {
    closeQuietly(server);
    open.forEach(TcpForwarder::closeQuietly);
    open.clear();
  }

  /** Forwards again, on the same port. */
  public synchronized void restore() {
    try {
      server = bind(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " again", e);
    }
    accept(server);
  }

  @Override
  public void close() {
    cut();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket listening) {
    daemon(
        "tcp-forwarder-" + port,
        () -> {
          while (!listening.isClosed()) {
            try {
              Socket in = listening.accept();
              Socket out = new Socket();
              try {
                out.connect(target);
              } catch (IOException e) {
                closeQuietly(in);
                continue;
              }
              open.add(in);
              open.add(out);
              if (listening.isClosed()) {
                // cut() came between accept and the adds: it did not see this pair.
                closeQuietly(in);
                closeQuietly(out);
                continue;
              }
              pump(in, out);
              pump(out, in);
            } catch (IOException e) {
              // Closed by cut(): the loop ends.
            }
          }
        });
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(Socket from, Socket to) {
    daemon(
        "tcp-forwarder-pump",
        () -> {
          byte[] buffer = new byte[16 * 1024];
          try (InputStream input = from.getInputStream();
              OutputStream output = to.getOutputStream()) {
            for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
              output.write(buffer, 0, n);
              output.flush();
            }
          } catch (IOException e) {
            // Either side closed: both are closed below.
          } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
          }
        });
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Already closed or broken: nothing to release.
    }
  }
}
