package dev.orgprovisioner;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every @QuarkusTest of the suite (the classes named {@code *AppTest}) as one test class for the
 * build's shared test JVMs, so the application starts once while other classes run beside it.
 *
 * <p>Why a suite: Surefire with more than one JVM starts a JUnit session per class, and Quarkus
 * restarts the application for each session (quarkusio/quarkus#43979). pom.xml keeps the {@code
 * *AppTest} classes out of Surefire's own scan, so they run here only; {@code -Dtest=HealthAppTest}
 * still runs one alone.
 */
@Suite(failIfNoTests = false)
@SelectPackages("dev.orgprovisioner")
@IncludeClassNamePatterns(".*AppTest")
class ApplicationTests {}
