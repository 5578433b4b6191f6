// The OpenAPI document's assembly: everything that does not depend on the app's type,
// compiled once into libvial. See <vial/openapi/document.hpp>.
#include <vial/openapi/document.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>

namespace vial::openapi::detail {

std::string title_case(std::string_view name) {
    std::string out;
    bool start = true;
    for (char c : name) {
        if (c == '_' || c == '.' || c == '-') {
            if (!out.empty() && out.back() != ' ') out += ' ';
            start = true;
        } else {
            out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            start = false;
        }
    }
    return out;
}

nlohmann::json converter_schema(const param_spec& p, std::string_view pattern) {
    nlohmann::json s;
    switch (p.kind) {
    case converter_kind::int_:
        s["type"] = "integer";
        if (p.has_min) s["minimum"] = p.int_min;
        else if (!p.is_signed) s["minimum"] = 0;
        if (p.has_max) s["maximum"] = p.int_max;
        break;
    case converter_kind::float_:
        s["type"] = "number";
        if (p.has_min) s["minimum"] = p.float_min;
        else if (!p.is_signed) s["minimum"] = 0;
        if (p.has_max) s["maximum"] = p.float_max;
        break;
    case converter_kind::uuid:
        s["type"] = "string";
        s["format"] = "uuid";
        break;
    case converter_kind::any: {
        s["type"] = "string";
        nlohmann::json options = nlohmann::json::array();
        for (std::size_t k = 0; k < p.any_count; ++k) options.push_back(p.any_options[k].in(pattern));
        s["enum"] = std::move(options);
        break;
    }
    case converter_kind::path:
        s["type"] = "string";
        s["description"] = "may contain '/'";
        break;
    case converter_kind::string:
        s["type"] = "string";
        s["minLength"] = p.min_length;
        if (p.max_length != 0) s["maxLength"] = p.max_length;
        s["pattern"] = "^[^/]+$";
        break;
    case converter_kind::custom:
        s["type"] = "string";
        break;
    }
    return s;
}

void add_struct_params(operation_parts& parts, const nlohmann::json& schema, schema_registry& registry,
                              std::string_view in) {
    const nlohmann::json* object = &schema;
    if (schema.contains("$ref")) {
        const std::string ref = schema["$ref"];
        const std::string name = ref.substr(ref.rfind('/') + 1);
        object = &registry.schemas().at(name);
    }
    const nlohmann::json required = object->value("required", nlohmann::json::array());
    if (!object->contains("properties")) return;
    for (const auto& [name, prop] : (*object)["properties"].items()) {
        nlohmann::json p{{"name", name}, {"in", std::string(in)}, {"schema", prop}};
        bool is_required = false;
        for (const auto& r : required) is_required = is_required || r == name;
        p["required"] = is_required;
        if (prop.contains("description")) p["description"] = prop["description"];
        if (prop.is_object() && prop.value("type", "") == "array") {
            p["style"] = "form";
            p["explode"] = true;
        }
        parts.parameters.push_back(std::move(p));
    }
}

bool has_file_member(const type_desc& d) {
    using vial::detail::type_kind;
    for (std::size_t i = 0; i < d.member_count; ++i) {
        const type_desc* m = d.members[i].type;
        if (m->kind == type_kind::file) return true;
        if ((m->kind == type_kind::vector || m->kind == type_kind::optional) && m->item->kind == type_kind::file)
            return true;
    }
    return false;
}

void add_parameter(operation_parts& parts, schema_registry& registry, const param_desc& d) {
    if (!d.present) return;
    parts.validates = true;
    if (d.source == param_source::body) {
        parts.json_body = true;
        nlohmann::json media = nlohmann::json::object();
        media["schema"] = registry.schema_for(*d.type);
        nlohmann::json body = nlohmann::json::object();
        body["required"] = true;
        body["content"]["application/json"] = std::move(media);
        parts.request_body = std::move(body);
    } else if (d.source == param_source::form) {
        const nlohmann::json schema = registry.schema_for(*d.type);
        nlohmann::json content = nlohmann::json::object();
        content["multipart/form-data"]["schema"] = schema;
        if (!has_file_member(*d.type)) content["application/x-www-form-urlencoded"]["schema"] = schema;
        nlohmann::json body = nlohmann::json::object();
        body["required"] = true;
        body["content"] = std::move(content);
        parts.request_body = std::move(body);
    } else if (d.source == param_source::query) {
        add_struct_params(parts, registry.schema_for(*d.type), registry, "query");
    } else {
        nlohmann::json p = nlohmann::json::object();
        p["name"] = std::string(d.name);
        p["in"] = d.source == param_source::header ? "header" : "cookie";
        p["required"] = d.required;
        p["schema"] = registry.schema_for(*d.type);
        parts.parameters.push_back(std::move(p));
    }
}

std::string status_key(unsigned code) { return std::to_string(code); }

nlohmann::json describe(unsigned code) {
    const std::string_view reason = status_reason(code);
    nlohmann::json r = nlohmann::json::object();
    r["description"] = reason.empty() ? std::string("Response") : std::string(reason);
    return r;
}

nlohmann::json body_content(schema_registry& registry, const response_desc& r) {
    nlohmann::json content = nlohmann::json::object();
    switch (r.body) {
    case body_kind::typed: content["application/json"]["schema"] = registry.schema_for(*r.type); break;
    case body_kind::text: content["text/plain"]["schema"]["type"] = "string"; break;
    case body_kind::any_json: content["application/json"]["schema"] = nlohmann::json::object(); break;
    case body_kind::none: return nullptr;
    }
    return content;
}

void add_response(nlohmann::json& out, schema_registry& registry, const response_desc& d) {
    nlohmann::json content = body_content(registry, d);
    nlohmann::json r;
    switch (d.shape) {
    case response_shape::plain:
    case response_shape::created: r = describe(d.status); break;
    case response_shape::runtime_status: r["description"] = "Response (status chosen at run time)"; break;
    case response_shape::untyped: r["description"] = "Response (untyped: a vial::response)"; break;
    }
    if (!content.is_null()) r["content"] = std::move(content);
    if (d.shape == response_shape::created) {
        r["headers"]["Location"]["description"] = "The URL of the created resource";
        r["headers"]["Location"]["schema"]["type"] = "string";
    }
    const bool by_status = d.shape == response_shape::plain || d.shape == response_shape::created;
    out[by_status ? status_key(d.status) : std::string("default")] = std::move(r);
}

void add_error_schemas(nlohmann::json& schemas) {
    schemas["ValidationError"] = nlohmann::json::parse(R"({
        "type": "object", "title": "ValidationError", "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {"type": "array", "title": "Location", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"type": "string", "title": "Message"},
            "type": {"type": "string", "title": "Error Type"},
            "input": {"title": "Input"},
            "ctx": {"type": "object", "title": "Context"}}})");
    schemas["HTTPValidationError"] = nlohmann::json::parse(R"({
        "type": "object", "title": "HTTPValidationError",
        "properties": {"detail": {"type": "array", "title": "Detail",
                                  "items": {"$ref": "#/components/schemas/ValidationError"}}}})");
}

void add_path_params(operation_parts& parts, const segment* segments, std::size_t count,
                            std::string_view pattern) {
    for (std::size_t s = 0; s < count; ++s) {
        if (!segments[s].is_param) continue;
        const param_spec& spec = segments[s].param;
        nlohmann::json p{{"name", std::string(spec.name.in(pattern))},
                         {"in", "path"},
                         {"required", true},
                         {"schema", converter_schema(spec, pattern)}};
        parts.parameters.push_back(std::move(p));
    }
}

void emit_operations(nlohmann::json& paths, const route_facts& info, const operation_parts& parts,
                            nlohmann::json responses, std::map<std::string, bool>& tags,
                            std::map<std::string, int>& operation_ids) {
    const route_doc& doc = *info.doc;
    if (parts.validates) {
        responses["422"]["description"] = "Validation Error";
        responses["422"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/HTTPValidationError";
    }
    if (parts.json_body) {
        if (!responses.contains("400")) {
            responses["400"]["description"] = "Malformed JSON";
            responses["400"]["content"]["application/json"]["schema"]["$ref"] =
                "#/components/schemas/HTTPValidationError";
        }
        if (!responses.contains("415")) responses["415"]["description"] = "Unsupported Media Type: the body is not JSON";
    }

    nlohmann::json tag_list = nlohmann::json::array();
    if (!info.blueprint.empty()) tag_list.push_back(std::string(info.blueprint));
    for (std::string_view t : doc.tags)
        if (!t.empty() && std::find(tag_list.begin(), tag_list.end(), std::string(t)) == tag_list.end())
            tag_list.push_back(std::string(t));
    for (const auto& t : tag_list) tags[t.get<std::string>()] = true;

    std::size_t method_total = 0;
    for (std::size_t m = 0; m < method_count; ++m) method_total += info.methods.contains(static_cast<method>(m)) ? 1 : 0;

    const std::string path(info.path);
    for (std::size_t m = 0; m < method_count; ++m) {
        const auto me = static_cast<method>(m);
        if (!info.methods.contains(me)) continue;
        std::string lower(method_names[m]);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower != "get" && lower != "put" && lower != "post" && lower != "delete" && lower != "options" &&
            lower != "head" && lower != "patch" && lower != "trace")
            continue;
        nlohmann::json op;
        std::string id = info.endpoint.empty() ? lower + path : std::string(info.endpoint);
        if (info.endpoint.empty() || method_total > 1) {
            if (!info.endpoint.empty()) {
                id += '_';
                id += lower;
            }
            for (char& c : id)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
        }
        // Appended piece by piece, not "_" + std::to_string(...): g++ 12 -O3 warns (-Wrestrict,
        // a false positive) on a literal + std::string&&.
        if (const int seen = operation_ids[id]++; seen > 0) {
            id += '_';
            id += std::to_string(seen + 1);
        }
        op["operationId"] = id;
        const std::size_t dot = info.endpoint.rfind('.');
        const std::string_view short_name = info.endpoint.substr(dot == std::string_view::npos ? 0 : dot + 1);
        op["summary"] = doc.summary.empty() ? (short_name.empty() ? lower + " " + path : title_case(short_name))
                                            : std::string(doc.summary);
        if (!doc.description.empty()) op["description"] = std::string(doc.description);
        if (!tag_list.empty()) op["tags"] = tag_list;
        if (doc.deprecated) op["deprecated"] = true;
        if (!parts.parameters.empty()) op["parameters"] = parts.parameters;
        if (!parts.request_body.is_null() && lower != "get" && lower != "head" && lower != "delete")
            op["requestBody"] = parts.request_body;
        op["responses"] = responses;
        paths[path][lower] = std::move(op);
    }
}

void add_route(nlohmann::json& paths, schema_registry& registry, const route_facts& facts,
                      const segment* segments, std::size_t segment_count, std::string_view pattern,
                      const param_desc* params, std::size_t param_count, const response_desc* outcomes,
                      std::size_t outcome_count, std::map<std::string, bool>& tags,
                      std::map<std::string, int>& operation_ids) {
    operation_parts parts;
    add_path_params(parts, segments, segment_count, pattern);
    for (std::size_t i = 0; i < param_count; ++i) add_parameter(parts, registry, params[i]);
    nlohmann::json responses = nlohmann::json::object();
    for (std::size_t i = 0; i < outcome_count; ++i) add_response(responses, registry, outcomes[i]);
    emit_operations(paths, facts, parts, std::move(responses), tags, operation_ids);
}

}  // namespace vial::openapi::detail
