"""Values into HubSpot's formats: dates, numbers, booleans, options, emails, phones, domains.

``coerce_frame(frame, mapping, schema, *, file, region)`` → :class:`Coerced` (property columns
as HubSpot strings, and a row issue for every value that did not fit; never an exception).
"""

from crmkit.coerce.converters import converter_for
from crmkit.coerce.frame import Coerced, coerce_frame

__all__ = ["Coerced", "coerce_frame", "converter_for"]
