package dev.userharbor.spring;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * UserHarbor for a Spring MVC application, from {@code userharbor.*} ({@link UserHarborProperties}):
 * the {@link UserHarbor} bean over one gRPC channel, the guard annotations with their
 * {@link UserHarborUser} argument, login and logout endpoints where {@code userharbor.login-path}
 * and {@code userharbor.logout-path} say, and UserHarbor's errors as problem+json.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebMvcConfigurer.class)
@EnableConfigurationProperties(UserHarborProperties.class)
public class UserHarborAutoConfiguration {

  /** One channel to UserHarbor (HTTP/2, TLS for https), with the API key on every call. */
  @Bean(destroyMethod = "shutdownNow")
  @ConditionalOnMissingBean(name = "userHarborChannel")
  public ManagedChannel userHarborChannel(UserHarborProperties properties) {
    URI url = UserHarbor.validUrl(properties.url());
    boolean tls = url.getScheme().equals("https");
    ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(url.getHost(), port, credentials);
    if (!properties.apiKey().isEmpty()) {
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + properties.apiKey());
      builder.intercept(List.<ClientInterceptor>of(MetadataUtils.newAttachHeadersInterceptor(key)));
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public UserHarbor userHarbor(UserHarborProperties properties, ManagedChannel userHarborChannel) {
    return new UserHarbor(properties, userHarborChannel);
  }

  @Bean
  public WebMvcConfigurer userHarborGuards(UserHarbor userHarbor) {
    UserHarborGuards guards = new UserHarborGuards(userHarbor);
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(guards);
      }

      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(guards);
      }
    };
  }

  @Bean
  @ConditionalOnMissingBean
  public UserHarborExceptionHandler userHarborExceptionHandler() {
    return new UserHarborExceptionHandler();
  }

  /** POST {@code userharbor.login-path}: {@link UserHarbor#login}. */
  @Bean
  @ConditionalOnProperty(prefix = "userharbor", name = "login-path")
  public RouterFunction<ServerResponse> userHarborLogin(UserHarbor userHarbor, UserHarborProperties properties) {
    return post(properties.loginPath(), userHarbor::login);
  }

  /** POST {@code userharbor.logout-path}: {@link UserHarbor#logout}. */
  @Bean
  @ConditionalOnProperty(prefix = "userharbor", name = "logout-path")
  public RouterFunction<ServerResponse> userHarborLogout(UserHarbor userHarbor, UserHarborProperties properties) {
    return post(properties.logoutPath(), userHarbor::logout);
  }

  /** A handler that writes the whole response itself. */
  private interface Endpoint {
    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
  }

  private static RouterFunction<ServerResponse> post(String path, Endpoint endpoint) {
    return RouterFunctions.route().POST(path, request -> ServerResponse.ok().build((req, res) -> {
      endpoint.handle(req, res);
      return null;
    })).build();
  }
}
