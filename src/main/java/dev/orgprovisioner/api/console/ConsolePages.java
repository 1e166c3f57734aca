package dev.orgprovisioner.api.console;

import dev.orgprovisioner.api.AdminAuthFilter;
import dev.orgprovisioner.api.IapVerifier;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * Renders the console's Qute templates ({@code templates/console}) with what every page needs (the
 * form token), and checks the token of every form posted back.
 */
@Singleton
public class ConsolePages {

  static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

  private final Engine engine;
  private final ConsoleGate gate;
  private final ConsoleSession session;

  public ConsolePages(Engine engine, ConsoleGate gate, ConsoleSession session) {
    this.engine = engine;
    this.gate = gate;
    this.session = session;
  }

  /** The page {@code console/<name>} with {@code data}, answered with {@code status}. */
  public Response render(int status, String name, HttpHeaders headers, Map<String, ?> data) {
    TemplateInstance page = engine.getTemplate("console/" + name).instance();
    data.forEach(page::data);
    page.data("csrf", principal(headers).map(session::csrfToken).orElse(""));
    page.data("signedIn", principal(headers).isPresent());
    return Response.status(status).type(HTML).entity(page.render()).build();
  }

  /** 200 with the page. */
  public Response render(String name, HttpHeaders headers, Map<String, ?> data) {
    return render(200, name, headers, data);
  }

  /** Refuses (403) a form whose token is not the signed-in principal's. */
  public void requireFormToken(HttpHeaders headers, String token) {
    String principal = principal(headers).orElse(null);
    if (principal == null || !session.csrfValid(principal, token)) {
      throw new WebApplicationException(
          Response.status(403)
              .type(MediaType.TEXT_PLAIN_TYPE)
              .entity("The form is stale or was not sent by this console: reload the page.")
              .build());
    }
  }

  /** 303 to a console page (after a form: the browser shows the page with GET). */
  public static Response seeOther(String path) {
    return Response.seeOther(URI.create(path)).build();
  }

  private java.util.Optional<String> principal(HttpHeaders headers) {
    return gate.principal(
        headers.getCookies().get(ConsoleSession.COOKIE),
        headers.getHeaderString(IapVerifier.HEADER),
        headers.getHeaderString(AdminAuthFilter.API_KEY_HEADER));
  }
}
