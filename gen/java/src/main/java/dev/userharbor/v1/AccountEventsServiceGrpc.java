package dev.userharbor.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AccountEventsService: read the account event log (events-scoped API keys only).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AccountEventsServiceGrpc {

  private AccountEventsServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "userharbor.v1.AccountEventsService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountEventsRequest,
      dev.userharbor.v1.ListAccountEventsResponse> getListAccountEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListAccountEvents",
      requestType = dev.userharbor.v1.ListAccountEventsRequest.class,
      responseType = dev.userharbor.v1.ListAccountEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountEventsRequest,
      dev.userharbor.v1.ListAccountEventsResponse> getListAccountEventsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountEventsRequest, dev.userharbor.v1.ListAccountEventsResponse> getListAccountEventsMethod;
    if ((getListAccountEventsMethod = AccountEventsServiceGrpc.getListAccountEventsMethod) == null) {
      synchronized (AccountEventsServiceGrpc.class) {
        if ((getListAccountEventsMethod = AccountEventsServiceGrpc.getListAccountEventsMethod) == null) {
          AccountEventsServiceGrpc.getListAccountEventsMethod = getListAccountEventsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ListAccountEventsRequest, dev.userharbor.v1.ListAccountEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListAccountEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountEventsServiceMethodDescriptorSupplier("ListAccountEvents"))
              .build();
        }
      }
    }
    return getListAccountEventsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.WatchAccountEventsRequest,
      dev.userharbor.v1.WatchAccountEventsResponse> getWatchAccountEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchAccountEvents",
      requestType = dev.userharbor.v1.WatchAccountEventsRequest.class,
      responseType = dev.userharbor.v1.WatchAccountEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.WatchAccountEventsRequest,
      dev.userharbor.v1.WatchAccountEventsResponse> getWatchAccountEventsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.WatchAccountEventsRequest, dev.userharbor.v1.WatchAccountEventsResponse> getWatchAccountEventsMethod;
    if ((getWatchAccountEventsMethod = AccountEventsServiceGrpc.getWatchAccountEventsMethod) == null) {
      synchronized (AccountEventsServiceGrpc.class) {
        if ((getWatchAccountEventsMethod = AccountEventsServiceGrpc.getWatchAccountEventsMethod) == null) {
          AccountEventsServiceGrpc.getWatchAccountEventsMethod = getWatchAccountEventsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.WatchAccountEventsRequest, dev.userharbor.v1.WatchAccountEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchAccountEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.WatchAccountEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.WatchAccountEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountEventsServiceMethodDescriptorSupplier("WatchAccountEvents"))
              .build();
        }
      }
    }
    return getWatchAccountEventsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AccountEventsServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceStub>() {
        @java.lang.Override
        public AccountEventsServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountEventsServiceStub(channel, callOptions);
        }
      };
    return AccountEventsServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AccountEventsServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceBlockingV2Stub>() {
        @java.lang.Override
        public AccountEventsServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountEventsServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AccountEventsServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AccountEventsServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceBlockingStub>() {
        @java.lang.Override
        public AccountEventsServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountEventsServiceBlockingStub(channel, callOptions);
        }
      };
    return AccountEventsServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AccountEventsServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountEventsServiceFutureStub>() {
        @java.lang.Override
        public AccountEventsServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountEventsServiceFutureStub(channel, callOptions);
        }
      };
    return AccountEventsServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * ListAccountEvents returns one page of events after `after_cursor`, oldest
     * first (polling). An empty `after_cursor` starts at the oldest retained
     * event. Pass `next_cursor` as `after_cursor` next time; an empty `events`
     * list means caught up, and polling again from `next_cursor` later returns
     * what committed since.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE |
     * INVALID_PAGE_SIZE (negative); OUT_OF_RANGE CURSOR_EXPIRED.
     * </pre>
     */
    default void listAccountEvents(dev.userharbor.v1.ListAccountEventsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListAccountEventsMethod(), responseObserver);
    }

    /**
     * <pre>
     * WatchAccountEvents streams events after `after_cursor` as they commit
     * (typically within a second, whichever replica wrote them): first those
     * already in the log, then new ones; the stream stays open until the caller
     * cancels it or the server stops (UNAVAILABLE SHUTTING_DOWN: reconnect). An
     * empty `after_cursor` starts at the live end: only events committed after
     * the call began. To resume without a gap, reconnect with the cursor of the
     * last event received.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE;
     * OUT_OF_RANGE CURSOR_EXPIRED. All of them come before the first event,
     * except CURSOR_EXPIRED for a stream that fell a whole retention behind.
     * </pre>
     */
    default void watchAccountEvents(dev.userharbor.v1.WatchAccountEventsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.WatchAccountEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchAccountEventsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AccountEventsService.
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public static abstract class AccountEventsServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AccountEventsServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AccountEventsService.
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public static final class AccountEventsServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AccountEventsServiceStub> {
    private AccountEventsServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountEventsServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountEventsServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListAccountEvents returns one page of events after `after_cursor`, oldest
     * first (polling). An empty `after_cursor` starts at the oldest retained
     * event. Pass `next_cursor` as `after_cursor` next time; an empty `events`
     * list means caught up, and polling again from `next_cursor` later returns
     * what committed since.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE |
     * INVALID_PAGE_SIZE (negative); OUT_OF_RANGE CURSOR_EXPIRED.
     * </pre>
     */
    public void listAccountEvents(dev.userharbor.v1.ListAccountEventsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListAccountEventsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * WatchAccountEvents streams events after `after_cursor` as they commit
     * (typically within a second, whichever replica wrote them): first those
     * already in the log, then new ones; the stream stays open until the caller
     * cancels it or the server stops (UNAVAILABLE SHUTTING_DOWN: reconnect). An
     * empty `after_cursor` starts at the live end: only events committed after
     * the call began. To resume without a gap, reconnect with the cursor of the
     * last event received.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE;
     * OUT_OF_RANGE CURSOR_EXPIRED. All of them come before the first event,
     * except CURSOR_EXPIRED for a stream that fell a whole retention behind.
     * </pre>
     */
    public void watchAccountEvents(dev.userharbor.v1.WatchAccountEventsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.WatchAccountEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchAccountEventsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AccountEventsService.
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public static final class AccountEventsServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AccountEventsServiceBlockingV2Stub> {
    private AccountEventsServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountEventsServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountEventsServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * ListAccountEvents returns one page of events after `after_cursor`, oldest
     * first (polling). An empty `after_cursor` starts at the oldest retained
     * event. Pass `next_cursor` as `after_cursor` next time; an empty `events`
     * list means caught up, and polling again from `next_cursor` later returns
     * what committed since.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE |
     * INVALID_PAGE_SIZE (negative); OUT_OF_RANGE CURSOR_EXPIRED.
     * </pre>
     */
    public dev.userharbor.v1.ListAccountEventsResponse listAccountEvents(dev.userharbor.v1.ListAccountEventsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListAccountEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * WatchAccountEvents streams events after `after_cursor` as they commit
     * (typically within a second, whichever replica wrote them): first those
     * already in the log, then new ones; the stream stays open until the caller
     * cancels it or the server stops (UNAVAILABLE SHUTTING_DOWN: reconnect). An
     * empty `after_cursor` starts at the live end: only events committed after
     * the call began. To resume without a gap, reconnect with the cursor of the
     * last event received.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE;
     * OUT_OF_RANGE CURSOR_EXPIRED. All of them come before the first event,
     * except CURSOR_EXPIRED for a stream that fell a whole retention behind.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.userharbor.v1.WatchAccountEventsResponse>
        watchAccountEvents(dev.userharbor.v1.WatchAccountEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchAccountEventsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AccountEventsService.
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public static final class AccountEventsServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AccountEventsServiceBlockingStub> {
    private AccountEventsServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountEventsServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountEventsServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListAccountEvents returns one page of events after `after_cursor`, oldest
     * first (polling). An empty `after_cursor` starts at the oldest retained
     * event. Pass `next_cursor` as `after_cursor` next time; an empty `events`
     * list means caught up, and polling again from `next_cursor` later returns
     * what committed since.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE |
     * INVALID_PAGE_SIZE (negative); OUT_OF_RANGE CURSOR_EXPIRED.
     * </pre>
     */
    public dev.userharbor.v1.ListAccountEventsResponse listAccountEvents(dev.userharbor.v1.ListAccountEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListAccountEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * WatchAccountEvents streams events after `after_cursor` as they commit
     * (typically within a second, whichever replica wrote them): first those
     * already in the log, then new ones; the stream stays open until the caller
     * cancels it or the server stops (UNAVAILABLE SHUTTING_DOWN: reconnect). An
     * empty `after_cursor` starts at the live end: only events committed after
     * the call began. To resume without a gap, reconnect with the cursor of the
     * last event received.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE;
     * OUT_OF_RANGE CURSOR_EXPIRED. All of them come before the first event,
     * except CURSOR_EXPIRED for a stream that fell a whole retention behind.
     * </pre>
     */
    public java.util.Iterator<dev.userharbor.v1.WatchAccountEventsResponse> watchAccountEvents(
        dev.userharbor.v1.WatchAccountEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchAccountEventsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AccountEventsService.
   * <pre>
   * AccountEventsService: read the account event log (events-scoped API keys only).
   * </pre>
   */
  public static final class AccountEventsServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AccountEventsServiceFutureStub> {
    private AccountEventsServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountEventsServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountEventsServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListAccountEvents returns one page of events after `after_cursor`, oldest
     * first (polling). An empty `after_cursor` starts at the oldest retained
     * event. Pass `next_cursor` as `after_cursor` next time; an empty `events`
     * list means caught up, and polling again from `next_cursor` later returns
     * what committed since.
     * Errors: INVALID_ARGUMENT INVALID_CURSOR | INVALID_EVENT_TYPE |
     * INVALID_PAGE_SIZE (negative); OUT_OF_RANGE CURSOR_EXPIRED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ListAccountEventsResponse> listAccountEvents(
        dev.userharbor.v1.ListAccountEventsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListAccountEventsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_ACCOUNT_EVENTS = 0;
  private static final int METHODID_WATCH_ACCOUNT_EVENTS = 1;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_LIST_ACCOUNT_EVENTS:
          serviceImpl.listAccountEvents((dev.userharbor.v1.ListAccountEventsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountEventsResponse>) responseObserver);
          break;
        case METHODID_WATCH_ACCOUNT_EVENTS:
          serviceImpl.watchAccountEvents((dev.userharbor.v1.WatchAccountEventsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.WatchAccountEventsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getListAccountEventsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ListAccountEventsRequest,
              dev.userharbor.v1.ListAccountEventsResponse>(
                service, METHODID_LIST_ACCOUNT_EVENTS)))
        .addMethod(
          getWatchAccountEventsMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.userharbor.v1.WatchAccountEventsRequest,
              dev.userharbor.v1.WatchAccountEventsResponse>(
                service, METHODID_WATCH_ACCOUNT_EVENTS)))
        .build();
  }

  private static abstract class AccountEventsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AccountEventsServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.userharbor.v1.EventsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AccountEventsService");
    }
  }

  private static final class AccountEventsServiceFileDescriptorSupplier
      extends AccountEventsServiceBaseDescriptorSupplier {
    AccountEventsServiceFileDescriptorSupplier() {}
  }

  private static final class AccountEventsServiceMethodDescriptorSupplier
      extends AccountEventsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AccountEventsServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (AccountEventsServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AccountEventsServiceFileDescriptorSupplier())
              .addMethod(getListAccountEventsMethod())
              .addMethod(getWatchAccountEventsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
