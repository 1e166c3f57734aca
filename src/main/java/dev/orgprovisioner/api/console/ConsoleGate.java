package dev.orgprovisioner.api.console;

import dev.orgprovisioner.api.AdminAuthFilter;
import dev.orgprovisioner.api.AdminCredentials;
import dev.orgprovisioner.api.IapVerifier;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;

/**
 * Who may see {@code /console}: a session opened at {@code /console/login}, a user Google IAP let
 * in, or a caller sending the admin key; everyone else gets 401 and a link to the login form. The
 * login form itself is the one open page (its POST checks the key).
 */
@Singleton
public class ConsoleGate {

  public static final String ROOT = "/console";
  static final String LOGIN = ROOT + "/login";

  private final AdminCredentials credentials;
  private final ConsoleSession session;
  private final Clock clock;

  public ConsoleGate(AdminCredentials credentials, ConsoleSession session, Clock clock) {
    this.credentials = credentials;
    this.session = session;
    this.clock = clock;
  }

  /**
   * Who the request comes from: {@code session|…}, {@code iap|user} or {@code key} (a header no
   * other site can make a browser send, so nothing for CSRF to bind against); empty for nobody.
   */
  public Optional<String> principal(Cookie cookie, String iapAssertion, String key) {
    if (cookie != null && session.valid(cookie.getValue(), clock.instant())) {
      return Optional.of("session|" + cookie.getValue());
    }
    Optional<String> user = credentials.iapUser(iapAssertion);
    if (user.isPresent()) {
      return Optional.of("iap|" + user.get());
    }
    if (key != null && credentials.check(key, null) == null) {
      return Optional.of("key");
    }
    return Optional.empty();
  }

  /** Null when the request may go on (its principal set); otherwise the 401 to answer with. */
  public Response authenticate(ContainerRequestContext request) {
    if (request.getUriInfo().getPath().equals(LOGIN)) {
      return null;
    }
    if (principal(
            request.getCookies().get(ConsoleSession.COOKIE),
            request.getHeaderString(IapVerifier.HEADER),
            request.getHeaderString(AdminAuthFilter.API_KEY_HEADER))
        .isPresent()) {
      return null;
    }
    return Response.status(401)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in"
                + " required</title></head><body><main><h1>Sign in required</h1><p>The operator"
                + " console needs the admin key. <a href=\""
                + LOGIN
                + "\">Sign in</a></p></main></body></html>")
        .build();
  }
}
