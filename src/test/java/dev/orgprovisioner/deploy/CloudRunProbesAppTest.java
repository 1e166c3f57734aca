package dev.orgprovisioner.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.orgprovisioner.testing.EmulatorsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The health paths Cloud Run probes (from the Terraform) are served by the running worker. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class CloudRunProbesAppTest {

  @Test
  void everyProbePathInTheTerraform_answersUpWithoutCredentials() {
    Map<String, Object> container =
        Terraform.blocks(
                Terraform.get(
                    Terraform.load().resource("google_cloud_run_v2_service", "worker"),
                    "template",
                    "containers"))
            .get(0);
    List<String> paths =
        List.of("startup_probe", "liveness_probe").stream()
            .filter(container::containsKey)
            .map(p -> (String) Terraform.get(container, p, "http_get", "path"))
            .toList();

    assertThat(paths).hasSize(2);
    for (String path : paths) {
      given().get(path).then().statusCode(200).body("status", equalTo("UP"));
    }
  }
}
