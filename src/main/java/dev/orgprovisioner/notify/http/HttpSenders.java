package dev.orgprovisioner.notify.http;

import dev.orgprovisioner.notify.Message;
import dev.orgprovisioner.notify.SendResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

/** Shared HTTP plumbing of the Slack and webhook senders: one POST, classified. */
final class HttpSenders {

  private HttpSenders() {}

  static SendResult post(
      HttpClient client,
      String target,
      byte[] body,
      Duration timeout,
      Clock clock,
      String... headers) {
    URI uri;
    try {
      uri = URI.create(target);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        return new SendResult.Permanent("target is not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      // The message would contain the URL: say only that it is malformed.
      return new SendResult.Permanent("target URL is malformed");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "org-provisioner-notifier")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], Message.headerValue(headers[i + 1]));
    }
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return SendResult.ofHttpStatus(
          response.statusCode(), response.headers().firstValue("Retry-After"), clock.instant());
    } catch (HttpTimeoutException e) {
      return new SendResult.Transient("timed out after " + timeout.toMillis() + " ms", null);
    } catch (IOException e) {
      // Connection refused/reset; the exception text can carry the host, so only its kind is kept.
      return new SendResult.Transient("I/O error: " + e.getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult.Transient("interrupted", null);
    }
  }
}
