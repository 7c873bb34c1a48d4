// Spring Boot 4 with UserHarbor: examples/spring-boot/run.sh starts it (PORT, USERHARBOR_URL,
// USERHARBOR_API_KEY, TRUSTED_PROXIES; see application.properties). test/integrations/ runs it
// against a real server.
package dev.userharbor.examples.spring;

import dev.userharbor.spring.RequireUser;
import dev.userharbor.spring.UserHarborUser;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class ExampleApp {
  @RequireUser
  @GetMapping("/me")
  Map<String, String> me(UserHarborUser user) {
    return Map.of("id", user.accountId(), "username", user.username());
  }

  @RequireUser(strict = true)
  @GetMapping("/me/strict")
  Map<String, String> meStrict(UserHarborUser user) {
    return me(user);
  }

  public static void main(String[] args) {
    SpringApplication.run(ExampleApp.class, args);
  }
}
