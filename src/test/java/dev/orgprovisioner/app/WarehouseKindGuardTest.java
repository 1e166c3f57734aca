package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Production never falls back to the in-memory DuckDB: warehouse.kind must be set there. */
class WarehouseKindGuardTest {

  @Test
  void productionWithoutTheKey_refusesToStart_namingTheKeyAndItsEnvironmentVariable() {
    assertThatThrownBy(() -> WarehouseKindGuard.resolve(Optional.empty(), List.of("prod")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warehouse.kind")
        .hasMessageContaining("WAREHOUSE_KIND");
  }

  @Test
  void anUnknownProfileWithoutTheKey_refusesToStartToo() {
    assertThatThrownBy(() -> WarehouseKindGuard.resolve(Optional.empty(), List.of("stage")))
        .hasMessageContaining("warehouse.kind");
  }

  @Test
  void testLocalAndDev_defaultToTheEmbeddedDuckDb() {
    for (String profile : List.of("test", "local", "dev")) {
      assertThat(WarehouseKindGuard.resolve(Optional.empty(), List.of(profile)))
          .as(profile)
          .isEqualTo(WarehouseConfig.Kind.DUCKDB);
    }
  }

  @Test
  void anExplicitKind_isUsedInEveryProfile() {
    assertThat(
            WarehouseKindGuard.resolve(Optional.of(WarehouseConfig.Kind.BIGQUERY), List.of("prod")))
        .isEqualTo(WarehouseConfig.Kind.BIGQUERY);
    assertThat(
            WarehouseKindGuard.resolve(Optional.of(WarehouseConfig.Kind.DUCKDB), List.of("prod")))
        .isEqualTo(WarehouseConfig.Kind.DUCKDB);
    assertThat(
            WarehouseKindGuard.resolve(Optional.of(WarehouseConfig.Kind.BIGQUERY), List.of("test")))
        .isEqualTo(WarehouseConfig.Kind.BIGQUERY);
  }

  @Test
  void theStartUpHook_appliesTheGuard() {
    WarehouseConfig unset =
        (WarehouseConfig)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {WarehouseConfig.class},
                (proxy, method, args) -> method.getName().equals("kind") ? Optional.empty() : null);

    assertThatThrownBy(() -> new WarehouseKindCheck().check(unset, List.of("prod")))
        .hasMessageContaining("warehouse.kind");
    new WarehouseKindCheck().check(unset, List.of("test"));
  }
}
