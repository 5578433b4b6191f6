// vial::http_error's constructor, checks and response, compiled once into the vial library
// (its vtable and type_info with them: to_response is its key function).
#include <vial/http/errors.hpp>
#include <vial/http/status.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

response http_error::to_response() const {
    response res(status_, what_ + "\n");
    for (const auto& [name, value] : headers_) res.add_header(name, value);
    return res;
}

http_error::http_error(unsigned status, std::string reason, header_list headers, unchecked)
    : status_(status), reason_(std::move(reason)), headers_(std::move(headers)) {
    for (const auto& [name, value] : headers_) check_header(name, value);
    const std::string_view phrase = status_reason(status_);
    if (reason_.empty()) reason_ = phrase;
    what_ = std::to_string(status_);
    if (!phrase.empty()) what_.append(" ").append(phrase);
    if (reason_ != phrase) what_.append(": ").append(reason_);
}

unsigned http_error::checked_status(unsigned status) {
    if (status < 300 || status > 599)
        throw std::invalid_argument("vial::http_error: status " + std::to_string(status) +
                                    " is not an error or redirect (300-599); "
                                    "use vial::abort_with(response) for other statuses");
    return status;
}

void http_error::check_header(std::string_view name, std::string_view value) {
    if (name.empty() || name.find_first_of(std::string_view("\r\n\0: \t", 6)) != std::string_view::npos ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        throw std::invalid_argument("vial::http_error: invalid header '" + std::string(name) + "'");
}

}  // namespace vial
