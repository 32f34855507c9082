"""What a person migrating from each system would map each column to, decided by hand.

These tables were written from the export formats alone, before crmkit's output was looked at:
``COLUMNS[system][object_type][header] = property`` (``None`` = not imported; a tuple = any of
these is a fair choice). ``ROLES`` lists the linking roles a person relies on, ``VALUES`` the
enumeration values whose option is beyond doubt.
"""

from __future__ import annotations

Choice = str | None | tuple[str | None, ...]

# fmt: off
COLUMNS: dict[str, dict[str, dict[str, Choice]]] = {
    "salesforce": {
        "companies": {  # Account report (labels)
            "Account ID": None, "Account Name": "name", "Type": "type", "Industry": "industry",
            "Website": "website", "Phone": "phone", "Billing Street": "address",
            "Billing City": "city", "Billing State/Province": "state",
            "Billing Zip/Postal Code": "zip", "Billing Country": "country",
            "Employees": "numberofemployees", "Annual Revenue": "annualrevenue",
            "Account Owner": None, "Created Date": "createdate", "Description": "description",
        },
        "contacts": {  # Data Loader export (API names)
            "Id": None, "AccountId": None, "Salutation": "salutation", "FirstName": "firstname",
            "LastName": "lastname", "Title": "jobtitle", "Email": "email", "Phone": "phone",
            "MobilePhone": "mobilephone", "MailingStreet": "address", "MailingCity": "city",
            "MailingState": "state", "MailingPostalCode": "zip", "MailingCountry": "country",
            "LeadSource": None, "Birthdate": "date_of_birth", "OwnerId": None,
            "CreatedDate": "createdate", "HasOptedOutOfEmail": None,
        },
        "tickets": {  # Case report (labels)
            "Case Number": None, "Subject": "subject", "Description": "content",
            "Priority": "hs_ticket_priority", "Status": "hs_pipeline_stage",
            "Case Origin": "source_type", "Type": "hs_ticket_category",
            "Date/Time Opened": "createdate", "Date/Time Closed": "closed_date",
            "Account Name": None, "Contact Name": None, "Contact Email": None,
            "Case Owner": None,
        },
    },
    "zendesk": {
        "tickets": {
            "Summation column": None, "Id": None, "Requester": None, "Requester id": None,
            "Requester email": None, "Requester domain": None, "Submitter": None,
            "Assignee": None, "Group": None, "Subject": "subject", "Description": "content",
            "Tags": None, "Status": "hs_pipeline_stage", "Priority": "hs_ticket_priority",
            "Via": "source_type", "Ticket type": "hs_ticket_category",
            "Created at": "createdate", "Updated at": None, "Solved at": "closed_date",
            "Organization": None,
        },
    },
    "pipedrive": {
        "companies": {
            "Organization - ID": None, "Organization - Name": "name",
            "Organization - Owner": None, "Organization - Address": "address",
            "Organization - Address - City/town/village/locality": "city",
            "Organization - Address - ZIP/Postal code": "zip",
            "Organization - Address - Country": "country",
            "Organization - Website": "website",
            "Organization - Annual revenue": "annualrevenue",
            "Organization - Number of employees": "numberofemployees",
            "Organization - People": None, "Organization - Open deals": None,
            "Organization - Organization created": "createdate", "Organization - Label": None,
        },
        "contacts": {
            "Person - ID": None, "Person - Name": None, "Person - First name": "firstname",
            "Person - Last name": "lastname", "Organization - Name": "company",
            "Person - Email - Work": "email", "Person - Email - Home": None,
            "Person - Phone - Work": "phone", "Person - Phone - Mobile": "mobilephone",
            "Person - Owner": None, "Person - Label": None,
            "Person - Person created": "createdate", "Person - Job title": "jobtitle",
        },
    },
    "zoho": {
        "companies": {
            "Record Id": None, "Account Owner": None, "Account Name": "name", "Phone": "phone",
            "Website": "website", "Account Type": "type", "Industry": "industry",
            "Employees": "numberofemployees", "Annual Revenue": "annualrevenue",
            "Billing Street": "address", "Billing City": "city", "Billing State": "state",
            "Billing Code": "zip", "Billing Country": "country", "Description": "description",
            "Created Time": "createdate", "Modified Time": None,
        },
        "contacts": {
            "Record Id": None, "Contact Owner": None, "Lead Source": None,
            "Salutation": "salutation", "First Name": "firstname", "Last Name": "lastname",
            "Account Name": "company", "Email": "email", "Secondary Email": None,
            "Title": "jobtitle", "Phone": "phone", "Mobile": "mobilephone",
            "Email Opt Out": None, "Mailing Street": "address", "Mailing City": "city",
            "Mailing State": "state", "Mailing Zip": "zip", "Mailing Country": "country",
            "Date of Birth": "date_of_birth", "Created Time": "createdate",
        },
    },
    "hubspot": {
        "companies": {
            "Record ID": None, "Company name": "name", "Company Domain Name": "domain",
            "Company owner": None, "Create Date": "createdate", "Phone Number": "phone",
            "Last Activity Date": None, "City": "city", "State/Region": "state",
            "Country/Region": "country", "Industry": "industry", "Type": "type",
            "Number of Employees": "numberofemployees", "Annual Revenue": "annualrevenue",
            "Lifecycle Stage": "lifecyclestage", "Time Zone": "timezone",
        },
        "contacts": {
            "Record ID": None, "First Name": "firstname", "Last Name": "lastname",
            "Email": "email", "Phone Number": "phone", "Contact owner": None,
            "Lifecycle Stage": "lifecyclestage", "Lead Status": "hs_lead_status",
            "Job Title": "jobtitle", "Company Name": "company", "Associated Company": None,
            "Associated Company IDs": None, "Create Date": "createdate",
            "Last Activity Date": None, "Marketing contact status": None,
        },
    },
    "excel": {
        "companies": {
            "Unnamed: 0": None, "Company": "name", "Website": "website",
            "Employees": "numberofemployees", "Annual revenue": "annualrevenue",
            "City": "city", "Country": "country", "Unnamed: 7": None,
        },
        "contacts": {
            "Name": None, "E-mail": "email", "Telephone": "phone", "Mobile": "mobilephone",
            "Company": "company", "Country": "country", "Date added": "createdate",
        },
    },
    "freshdesk": {
        "contacts": {
            "Full name": None, "Email": "email", "Job title": "jobtitle",
            "Work phone": "phone", "Mobile phone": "mobilephone", "Company": "company",
            "Twitter ID": "twitterhandle", "Language": "hs_language", "Time zone": None,
            "Tags": None, "Unique external ID": None,
        },
        "tickets": {
            "Ticket ID": None, "Subject": "subject", "Description": "content",
            "Status": "hs_pipeline_stage", "Priority": "hs_ticket_priority",
            "Source": "source_type", "Type": "hs_ticket_category", "Agent": None,
            "Group": None, "Created time": "createdate", "Due by Time": None,
            "Resolved time": ("closed_date", None), "Closed time": ("closed_date", None),
            "Last update time": None, "Initial response time": None, "Tags": None,
            "Product": None, "Full name": None, "Email": None, "Work phone": None,
            "Company Name": None,
        },
    },
}

ROLES: dict[str, dict[str, dict[str, str]]] = {
    "salesforce": {
        "companies": {"source_id": "Account ID", "company_domain": "Website",
                      "company_name": "Account Name"},
        "contacts": {"source_id": "Id", "company_id": "AccountId"},
        "tickets": {"source_id": "Case Number", "contact_email": "Contact Email",
                    "contact_name": "Contact Name", "company_name": "Account Name"},
    },
    "zendesk": {
        "tickets": {"source_id": "Id", "contact_email": "Requester email",
                    "contact_name": "Requester", "company_name": "Organization"},
    },
    "pipedrive": {
        "companies": {"source_id": "Organization - ID", "company_name": "Organization - Name",
                      "company_domain": "Organization - Website"},
        "contacts": {"source_id": "Person - ID", "company_name": "Organization - Name"},
    },
    "zoho": {
        "companies": {"source_id": "Record Id", "company_name": "Account Name"},
        "contacts": {"source_id": "Record Id", "company_name": "Account Name"},
    },
    "hubspot": {
        "companies": {"source_id": "Record ID", "company_domain": "Company Domain Name"},
        "contacts": {"source_id": "Record ID", "company_id": "Associated Company IDs"},
    },
    "excel": {
        "companies": {"company_name": "Company", "company_domain": "Website"},
        "contacts": {"full_name": "Name", "company_name": "Company"},
    },
    "freshdesk": {
        "contacts": {"full_name": "Full name", "company_name": "Company"},
        "tickets": {"source_id": "Ticket ID", "contact_email": "Email",
                    "contact_name": "Full name", "company_name": "Company Name"},
    },
}

VALUES: dict[str, dict[str, dict[str, dict[str, str]]]] = {
    "salesforce": {
        "companies": {
            "Type": {"Prospect": "PROSPECT", "Channel Partner / Reseller": "RESELLER",
                     "Technology Partner": "PARTNER", "Installation Partner": "PARTNER",
                     "Other": "OTHER"},
            "Industry": {"Banking": "BANKING", "Biotechnology": "BIOTECHNOLOGY",
                         "Retail": "RETAIL", "Healthcare": "HOSPITAL_HEALTH_CARE",
                         "Food & Beverage": "FOOD_BEVERAGES",
                         "Consulting": "MANAGEMENT_CONSULTING", "Hospitality": "HOSPITALITY",
                         "Transportation": "TRANSPORTATION_TRUCKING_RAILROAD"},
        },
        "tickets": {
            "Priority": {"High": "HIGH", "Medium": "MEDIUM", "Low": "LOW", "Urgent": "URGENT"},
            "Status": {"New": "1", "Working": "3", "Escalated": "3", "Closed": "4"},
            "Case Origin": {"Email": "EMAIL", "Phone": "PHONE", "Web": "FORM"},
            "Type": {"Problem": "PRODUCT_ISSUE", "Feature Request": "FEATURE_REQUEST",
                     "Question": "GENERAL_INQUIRY"},
        },
    },
    "zendesk": {
        "tickets": {
            "Priority": {"low": "LOW", "normal": "MEDIUM", "high": "HIGH", "urgent": "URGENT"},
            "Status": {"new": "1", "pending": "2", "solved": "4", "closed": "4"},
            "Via": {"Mail": "EMAIL", "Web form": "FORM", "Chat": "CHAT",
                    "Phone call (incoming)": "PHONE"},
            "Ticket type": {"question": "GENERAL_INQUIRY", "problem": "PRODUCT_ISSUE",
                            "incident": "PRODUCT_ISSUE"},
        },
    },
    "zoho": {
        "companies": {
            "Account Type": {"Prospect": "PROSPECT", "Partner": "PARTNER", "Vendor": "VENDOR"},
            "Industry": {"Health Care": "HOSPITAL_HEALTH_CARE", "Finance": "FINANCIAL_SERVICES",
                         "Logistics": "LOGISTICS_AND_SUPPLY_CHAIN",
                         "Entertainment": "ENTERTAINMENT"},
        },
    },
    "hubspot": {
        "companies": {
            "Industry": {"Computer Software": "COMPUTER_SOFTWARE", "Insurance": "INSURANCE",
                         "Sporting Goods": "SPORTING_GOODS",
                         "Medical Practice": "MEDICAL_PRACTICE",
                         "Civil Engineering": "CIVIL_ENGINEERING",
                         "Online Media": "ONLINE_MEDIA", "Maritime": "MARITIME",
                         "Design": "DESIGN"},
            "Type": {"Prospect": "PROSPECT", "Partner": "PARTNER", "Reseller": "RESELLER",
                     "Vendor": "VENDOR", "Other": "OTHER"},
            "Lifecycle Stage": {"Lead": "lead", "Customer": "customer",
                                "Marketing Qualified Lead": "marketingqualifiedlead",
                                "Sales Qualified Lead": "salesqualifiedlead",
                                "Opportunity": "opportunity", "Other": "other"},
        },
        "contacts": {
            "Lifecycle Stage": {"Lead": "lead", "Customer": "customer",
                                "Marketing Qualified Lead": "marketingqualifiedlead",
                                "Sales Qualified Lead": "salesqualifiedlead",
                                "Opportunity": "opportunity", "Subscriber": "subscriber",
                                "Evangelist": "evangelist", "Other": "other"},
            "Lead Status": {"New": "NEW", "Connected": "CONNECTED", "Open Deal": "OPEN_DEAL",
                            "Attempted to contact": "ATTEMPTED_TO_CONTACT",
                            "In Progress": "IN_PROGRESS", "Unqualified": "UNQUALIFIED",
                            "Bad Timing": "BAD_TIMING"},
        },
    },
    "freshdesk": {
        "contacts": {
            "Language": {"English": "en", "German": "de", "Swedish": "sv",
                         "Portuguese": "pt"},
        },
        "tickets": {
            "Status": {"Pending": "2", "Resolved": "4", "Closed": "4",
                       "Waiting on Customer": "2"},
            "Priority": {"Low": "LOW", "Medium": "MEDIUM", "High": "HIGH", "Urgent": "URGENT"},
            "Source": {"Email": "EMAIL", "Portal": "FORM", "Phone": "PHONE", "Chat": "CHAT",
                       "Feedback Widget": "FORM"},
            "Type": {"Question": "GENERAL_INQUIRY", "Problem": "PRODUCT_ISSUE",
                     "Incident": "PRODUCT_ISSUE", "Feature Request": "FEATURE_REQUEST",
                     "Refund": "BILLING_ISSUE"},
        },
    },
}
# fmt: on
