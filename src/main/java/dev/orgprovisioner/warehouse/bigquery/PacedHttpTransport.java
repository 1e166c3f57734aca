package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.auth.http.HttpTransportFactory;
import com.google.cloud.http.HttpTransportOptions;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaGate;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The client's HTTP transport under BigQuery's per-user request quotas: each request, whichever
 * client code sends it (reads, query jobs and their polls, metadata updates, the generated REST
 * client), holds one of this instance's concurrent places until its response is read or failed, and
 * takes a place in its REST method's window (100 per second) before it is sent.
 */
final class PacedHttpTransport extends HttpTransport {

  private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
  // HttpTransport.buildRequest is protected and the client's NetHttpTransport final: wrapping its
  // low-level requests is the only place that sees a response until its body is read.
  private static final Method BUILD_REQUEST = buildRequestMethod();

  private final HttpTransport inner;
  private final QuotaGate gate;
  private final RequestPermits permits;

  private PacedHttpTransport(HttpTransport inner, QuotaGate gate, RequestPermits permits) {
    this.inner = inner;
    this.gate = gate;
    this.permits = permits;
  }

  /** A factory of the default transport, each request paced by {@code gate} and {@code permits}. */
  static HttpTransportFactory factory(QuotaGate gate, RequestPermits permits) {
    HttpTransportFactory defaults = new HttpTransportOptions.DefaultHttpTransportFactory();
    return () -> new PacedHttpTransport(defaults.create(), gate, permits);
  }

  @Override
  protected LowLevelHttpRequest buildRequest(String method, String url) throws IOException {
    try {
      return new Request(
          (LowLevelHttpRequest) BUILD_REQUEST.invoke(inner, method, url), method, url);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean supportsMethod(String method) throws IOException {
    return inner.supportsMethod(method);
  }

  @Override
  public void shutdown() throws IOException {
    inner.shutdown();
  }

  /** The path of {@code url}, not decoded (no query, no fragment). */
  static String pathOf(String url) {
    int scheme = url.indexOf("://");
    int start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    if (start < 0) {
      return "/";
    }
    int end = url.length();
    for (char c : new char[] {'?', '#'}) {
      int at = url.indexOf(c, start);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return url.substring(start, end);
  }

  private static Method buildRequestMethod() {
    try {
      Method m = HttpTransport.class.getDeclaredMethod("buildRequest", String.class, String.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One request: sent once it holds a place and its method's window lets it through. */
  private final class Request extends LowLevelHttpRequest {
    private final LowLevelHttpRequest delegate;
    private final String httpMethod;
    private final String path;
    private String override;

    Request(LowLevelHttpRequest delegate, String httpMethod, String url) {
      this.delegate = delegate;
      this.httpMethod = httpMethod;
      this.path = pathOf(url);
    }

    @Override
    public void addHeader(String name, String value) throws IOException {
      if (name.equalsIgnoreCase(METHOD_OVERRIDE)) {
        override = value;
      }
      delegate.addHeader(name, value);
    }

    @Override
    public void setTimeout(int connectTimeout, int readTimeout) throws IOException {
      delegate.setTimeout(connectTimeout, readTimeout);
    }

    @Override
    public void setWriteTimeout(int writeTimeout) throws IOException {
      delegate.setWriteTimeout(writeTimeout);
    }

    @Override
    public LowLevelHttpResponse execute() throws IOException {
      delegate.setContentLength(getContentLength());
      delegate.setContentEncoding(getContentEncoding());
      delegate.setContentType(getContentType());
      delegate.setStreamingContent(getStreamingContent());
      RequestPermits.Permit permit = permits.take();
      try {
        // The window after the place: a grant must be used at once, a place may be held waiting.
        pace();
        return new Response(delegate.execute(), permit);
      } catch (IOException | RuntimeException | Error e) {
        permit.release();
        throw e;
      }
    }

    private void pace() throws IOException {
      String method = override != null ? override : httpMethod;
      try {
        gate.acquire(Quota.API_REQUESTS, RestMethods.of(method, path));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted waiting for quota");
        io.initCause(e);
        throw io;
      }
    }
  }

  /** A response that frees its request's place when its body is read, closed or failed. */
  private static final class Response extends LowLevelHttpResponse {
    private final LowLevelHttpResponse delegate;
    private final RequestPermits.Permit permit;

    Response(LowLevelHttpResponse delegate, RequestPermits.Permit permit) {
      this.delegate = delegate;
      this.permit = permit;
    }

    @Override
    public InputStream getContent() throws IOException {
      InputStream content;
      try {
        content = delegate.getContent();
      } catch (IOException | RuntimeException e) {
        permit.release();
        throw e;
      }
      if (content == null) {
        permit.release();
        return null;
      }
      return new Body(content, permit);
    }

    @Override
    public void disconnect() throws IOException {
      try {
        delegate.disconnect();
      } finally {
        permit.release();
      }
    }

    @Override
    public String getContentEncoding() throws IOException {
      return delegate.getContentEncoding();
    }

    @Override
    public long getContentLength() throws IOException {
      return delegate.getContentLength();
    }

    @Override
    public String getContentType() throws IOException {
      return delegate.getContentType();
    }

    @Override
    public String getStatusLine() throws IOException {
      return delegate.getStatusLine();
    }

    @Override
    public int getStatusCode() throws IOException {
      return delegate.getStatusCode();
    }

    @Override
    public String getReasonPhrase() throws IOException {
      return delegate.getReasonPhrase();
    }

    @Override
    public int getHeaderCount() throws IOException {
      return delegate.getHeaderCount();
    }

    @Override
    public String getHeaderName(int index) throws IOException {
      return delegate.getHeaderName(index);
    }

    @Override
    public String getHeaderValue(int index) throws IOException {
      return delegate.getHeaderValue(index);
    }
  }

  /** A response body: its end, its close or a failed read frees the place. */
  private static final class Body extends FilterInputStream {
    private final RequestPermits.Permit permit;

    Body(InputStream in, RequestPermits.Permit permit) {
      super(in);
      this.permit = permit;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b < 0) {
          permit.release();
        }
        return b;
      } catch (IOException | RuntimeException e) {
        permit.release();
        throw e;
      }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      try {
        int n = super.read(buf, off, len);
        if (n < 0) {
          permit.release();
        }
        return n;
      } catch (IOException | RuntimeException e) {
        permit.release();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        permit.release();
      }
    }
  }
}
