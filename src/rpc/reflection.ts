// gRPC server reflection (grpc.reflection.v1 and v1alpha) over protobuf-es file descriptors,
// so `buf curl` and grpcurl-style tools can discover and call our services without .proto files.
// Spec: https://github.com/grpc/grpc/blob/master/doc/server-reflection.md
import type {
  DescEnum,
  DescExtension,
  DescFile,
  DescMessage,
  FileRegistry,
} from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import * as v1 from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "@userharbor/client/grpc/reflection/v1alpha/reflection_pb.js";

/**
 * The request oneof as v1 and v1alpha both spell it: the two protos differ only in their
 * package, so one core answers both and each version's messages fit these plain shapes.
 */
type ReflectionQuery =
  | {
      case:
        | "fileByFilename"
        | "fileContainingSymbol"
        | "allExtensionNumbersOfType"
        | "listServices";
      value: string;
    }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

/** The response oneof, likewise shared by both versions. */
type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | {
      case: "allExtensionNumbersResponse";
      value: { baseTypeName: string; extensionNumber: number[] };
    }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

export interface ReflectionServices {
  v1: ServiceImpl<typeof v1.ServerReflection>;
  v1alpha: ServiceImpl<typeof v1alpha.ServerReflection>;
}

/**
 * Reflection over the services declared in `source` (the files, or every file of the registry),
 * plus both reflection services themselves. Imports are followed, so passing
 * `file_userharbor_v1_accounts` also serves google/protobuf/timestamp.proto.
 */
export function reflectionServices(source: readonly DescFile[] | FileRegistry): ReflectionServices {
  const roots = "files" in source ? [...source.files] : source;
  const index = new DescriptorIndex([
    ...roots,
    v1.file_grpc_reflection_v1_reflection,
    v1alpha.file_grpc_reflection_v1alpha_reflection,
  ]);
  // Generic over the request so this one function is each version's handler; the plain
  // objects it yields fit either version's response init shape.
  const serverReflectionInfo = async function* <
    Request extends { host: string; messageRequest: ReflectionQuery },
  >(requests: AsyncIterable<Request>) {
    for await (const request of requests) {
      yield {
        validHost: request.host,
        originalRequest: request,
        messageResponse: index.answer(request.messageRequest),
      };
    }
  };
  return { v1: { serverReflectionInfo }, v1alpha: { serverReflectionInfo } };
}

/** Answers reflection queries from a fixed set of files and everything they import. */
class DescriptorIndex {
  readonly #services: string[];
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #messages = new Set<string>();
  /** extendee type name → extension number → file declaring the extension */
  readonly #extensions = new Map<string, Map<number, DescFile>>();
  readonly #encoded = new Map<DescFile, Uint8Array>();

  constructor(roots: Iterable<DescFile>) {
    const services = new Set<string>();
    for (const root of roots) {
      for (const service of root.services) services.add(service.typeName);
      for (const file of withImports(root)) this.#addFile(file);
    }
    this.#services = [...services].sort();
  }

  answer(query: ReflectionQuery): ReflectionAnswer {
    switch (query.case) {
      case "listServices":
        // The request's value is ignored, as the spec says.
        return {
          case: "listServicesResponse",
          value: { service: this.#services.map((name) => ({ name })) },
        };
      case "fileByFilename":
        return this.#fileAnswer(this.#files.get(query.value), `file "${query.value}"`);
      case "fileContainingSymbol": {
        const symbol = stripDot(query.value);
        return this.#fileAnswer(this.#symbols.get(symbol), `symbol "${symbol}"`);
      }
      case "fileContainingExtension": {
        const { containingType, extensionNumber } = query.value;
        const extendee = stripDot(containingType);
        return this.#fileAnswer(
          this.#extensions.get(extendee)?.get(extensionNumber),
          `extension ${extensionNumber} of "${extendee}"`,
        );
      }
      case "allExtensionNumbersOfType": {
        const type = stripDot(query.value);
        // A known message without extensions answers an empty list, as grpc-go does.
        if (!this.#messages.has(type)) return notFound(`message type "${type}"`);
        const numbers = [...(this.#extensions.get(type)?.keys() ?? [])].sort((a, b) => a - b);
        return {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: type, extensionNumber: numbers },
        };
      }
      case undefined:
        return error(Code.InvalidArgument, "the request names no reflection query");
    }
  }

  /** The file's FileDescriptorProto first, then those of every file it imports, transitively. */
  #fileAnswer(file: DescFile | undefined, what: string): ReflectionAnswer {
    if (file === undefined) return notFound(what);
    const fileDescriptorProto = [...withImports(file)].map((f) => this.#encode(f));
    return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
  }

  #encode(file: DescFile): Uint8Array {
    let bytes = this.#encoded.get(file);
    if (bytes === undefined) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.#encoded.set(file, bytes);
    }
    return bytes;
  }

  #addFile(file: DescFile): void {
    // DescFile.name drops ".proto"; reflection clients ask by the import path, which keeps it.
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    for (const service of file.services) {
      this.#symbol(service.typeName, file);
      for (const method of service.methods)
        this.#symbol(`${service.typeName}.${method.name}`, file);
    }
    for (const message of file.messages) this.#addMessage(message, file);
    for (const enumeration of file.enums) this.#addEnum(enumeration, file);
    for (const extension of file.extensions) this.#addExtension(extension, file);
  }

  #addMessage(message: DescMessage, file: DescFile): void {
    this.#symbol(message.typeName, file);
    this.#messages.add(message.typeName);
    // Members resolve to their parent's file, as protoregistry's FindDescriptorByName does.
    for (const field of message.fields) this.#symbol(`${message.typeName}.${field.name}`, file);
    for (const oneof of message.oneofs) this.#symbol(`${message.typeName}.${oneof.name}`, file);
    for (const nested of message.nestedMessages) this.#addMessage(nested, file);
    for (const nested of message.nestedEnums) this.#addEnum(nested, file);
    for (const nested of message.nestedExtensions) this.#addExtension(nested, file);
  }

  #addEnum(enumeration: DescEnum, file: DescFile): void {
    this.#symbol(enumeration.typeName, file);
    // Enum values are scoped like siblings of their enum (C++ scoping rules).
    const scope = enumeration.parent?.typeName ?? file.proto.package;
    for (const value of enumeration.values) {
      this.#symbol(scope === "" ? value.name : `${scope}.${value.name}`, file);
    }
  }

  #addExtension(extension: DescExtension, file: DescFile): void {
    this.#symbol(extension.typeName, file);
    let byNumber = this.#extensions.get(extension.extendee.typeName);
    if (byNumber === undefined) {
      byNumber = new Map();
      this.#extensions.set(extension.extendee.typeName, byNumber);
    }
    byNumber.set(extension.number, file);
  }

  #symbol(name: string, file: DescFile): void {
    if (!this.#symbols.has(name)) this.#symbols.set(name, file);
  }
}

/** `file` and everything it imports, transitively, each once, `file` first. */
function* withImports(file: DescFile, seen = new Set<DescFile>()): Generator<DescFile> {
  if (seen.has(file)) return;
  seen.add(file);
  yield file;
  for (const dependency of file.dependencies) yield* withImports(dependency, seen);
}

/** Clients may send fully-qualified names with protobuf's leading dot. */
function stripDot(name: string): string {
  return name.startsWith(".") ? name.slice(1) : name;
}

function notFound(what: string): ReflectionAnswer {
  return error(Code.NotFound, `${what} not found`);
}

function error(code: Code, message: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: code, errorMessage: message } };
}
