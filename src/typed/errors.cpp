// The typed layer's errors, compiled once into libvial (their vtables and JSON bodies too),
// not in every file that includes <vial/typed/errors.hpp>.
#include <vial/typed/errors.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vial {

namespace detail {
std::string dump_replacing_invalid_utf8(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace detail

nlohmann::json error_detail::to_json() const {
    nlohmann::json l = nlohmann::json::array();
    for (const auto& item : where) {
        if (const auto* s = std::get_if<std::string>(&item)) l.push_back(*s);
        else l.push_back(std::get<std::size_t>(item));
    }
    nlohmann::json j = {{"type", type}, {"loc", std::move(l)}, {"msg", msg}, {"input", input}};
    if (!ctx.is_null()) j["ctx"] = ctx;
    return j;
}

response validation_error::to_response() const {
    return response(422, detail::dump_replacing_invalid_utf8(to_json()), "application/json");
}

nlohmann::json validation_error::to_json() const {
    nlohmann::json d = nlohmann::json::array();
    for (const auto& e : errors_) d.push_back(e.to_json());
    return {{"detail", std::move(d)}};
}

std::string validation_error::summary(const std::vector<error_detail>& errors) {
    std::string s = std::to_string(errors.size()) + " validation error" + (errors.size() == 1 ? "" : "s");
    if (!errors.empty()) s += ": " + errors.front().msg;
    return s;
}

const char* malformed_json::what() const noexcept { return message_.c_str(); }

response malformed_json::to_response() const {
    return response(400, detail::dump_replacing_invalid_utf8(to_json()), "application/json");
}

nlohmann::json malformed_json::to_json() const {
    return {{"detail",
             nlohmann::json::array({{{"type", "json_invalid"},
                                     {"loc", nlohmann::json::array({"body", offset_})},
                                     {"msg", "JSON decode error"},
                                     {"input", nlohmann::json::object()},
                                     {"ctx", {{"error", what()}}}}})}};
}

std::string malformed_json::where(const std::string& reason, std::size_t offset, std::size_t line, std::size_t column) {
    return reason + " at line " + std::to_string(line) + " column " + std::to_string(column) + " (byte " +
           std::to_string(offset) + ")";
}

}  // namespace vial
