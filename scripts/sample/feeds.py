"""The landing files of docs/feeds.md: the columns of every file kind and, in FILE_KINDS,
kind -> (source prefix, entity, delimiter, line end, columns); which kinds the first,
weekly and daily deliveries hold."""
from __future__ import annotations

CUSTOMER_COLUMNS = ["SourceCustomerNumber", "FirstName", "LastName", "Email", "MobilePhone",
                    "PrimaryPhone", "Address1", "City", "State", "ZipCode", "Country",
                    "BirthDate", "Gender", "Preferences", "DateCreated", "DateModified",
                    "DeleteFlag"]
CAMPAIGN_COLUMNS = ["SourceCampaignNumber", "Name", "Description", "Type", "StartDate",
                    "EndDate", "DateCreated", "DeleteFlag", "Budget", "Owner"]
DISPATCH_COLUMNS = ["SourceDispatchNumber", "SourceCampaignNumber", "Name", "Type", "SubType",
                    "DateCreated", "AttributionStartDate", "AttributionWindow", "DeleteFlag",
                    "Audience"]
MESSAGE_COLUMNS = ["SourceMessageNumber", "SourceDispatchNumber", "Name", "Subject", "Content",
                   "SendDate", "MessageFrom", "Links", "Variant", "Cost",
                   "AttributionStartDate", "AttributionWindow", "DateCreated", "DeleteFlag",
                   "CreativeId"]
ORGANIZATION_COLUMNS = ["SourceOrganizationNumber", "Name", "Type", "Country", "State", "City",
                        "TimeZone", "OpenedDate"]
ESP_COLUMNS = ["Type", "EventTimeStamp", "SourceCustomerNumber", "Email", "Subtype",
               "SourceMessageNumber", "URL"]
SMS_COLUMNS = ["EventTimeStamp", "Type", "SourceCustomerNumber", "SourceMessageNumber", "URL"]
DM_COLUMNS = ["SourceCustomerNumber", "SourceMessageNumber", "Type", "EventTimeStamp"]
WEB_COLUMNS = ["EventTimeStamp", "Type", "SourceCustomerNumber", "Email", "Cookie", "SessionID",
               "URL", "SourceProductNumber", "SourceTransactionNumber", "Value",
               "SourceMessageNumber", "DeviceType"]
CUSTOM_EVENT_COLUMNS = ["Type", "Subtype", "EventTimeStamp", "SourceCustomerNumber", "Email",
                        "Value", "SourceProductNumber", "StoreNumber", "AgentId"]
POS_TXN_COLUMNS = ["SourceTransactionNumber", "SourceCustomerNumber", "SourceOrganizationNumber",
                   "TransactionTimeStamp", "Type", "Total", "Currency", "Discount", "Tax",
                   "DeleteFlag", "RegisterId"]
ECOM_TXN_COLUMNS = ["SourceTransactionNumber", "TransactionTimeStamp", "SourceCustomerNumber",
                    "SourceOrganizationNumber", "Type", "Currency", "Total", "Discount", "Tax",
                    "DeleteFlag", "Device"]
POS_ITEM_COLUMNS = ["SourceTransactionItemNumber", "SourceTransactionNumber",
                    "SourceProductNumber", "ProductName", "ProductCategory", "Quantity",
                    "SaleRevenue", "Type"]
ECOM_ITEM_COLUMNS = ["SourceTransactionNumber", "SourceTransactionItemNumber",
                     "SourceProductNumber", "Quantity", "SaleRevenue", "Type", "ProductName",
                     "ProductCategory"]

FILE_KINDS = {
    # initial full loads (delivery day 0, 05:00:00)
    "organization": ("", "organization", ",", "\n", ORGANIZATION_COLUMNS),
    "customer_full": ("", "customer", ",", "\r\n", CUSTOMER_COLUMNS),
    # campaign metadata (day 0 and weekly, 05:00:00); weekly campaign files lack "Owner"
    "campaign": ("", "campaign", ",", "\n", CAMPAIGN_COLUMNS),
    "dispatch": ("", "dispatch", ",", "\n", DISPATCH_COLUMNS),
    "message": ("", "message", ",", "\r\n", MESSAGE_COLUMNS),
    # weekly customer changes (07:00:00); "LoyaltyTier" from the second weekly file on
    "customer_weekly": ("", "customer", ",", "\n", CUSTOMER_COLUMNS),
    # daily files (06:00:00)
    "customer_daily": ("crm_", "customer", ",", "\n", CUSTOMER_COLUMNS),
    "esp_event": ("esp_", "event", ",", "\n", ESP_COLUMNS),
    "sms_event": ("sms_", "event", ",", "\r\n", SMS_COLUMNS),
    "dm_event": ("dm_", "event", ",", "\n", DM_COLUMNS),
    "web_event": ("web_", "event", "\t", "\n", WEB_COLUMNS),
    "custom_event": ("", "event", ",", "\r\n", CUSTOM_EVENT_COLUMNS),
    "pos_transaction": ("pos_", "transaction", ",", "\r\n", POS_TXN_COLUMNS),
    "ecom_transaction": ("ecom_", "transaction", ",", "\n", ECOM_TXN_COLUMNS),
    "pos_transactionitem": ("pos_", "transactionitem", "|", "\r\n", POS_ITEM_COLUMNS),
    "ecom_transactionitem": ("ecom_", "transactionitem", ",", "\n", ECOM_ITEM_COLUMNS),
}
INITIAL_KINDS = ["organization", "customer_full", "campaign", "dispatch", "message"]
WEEKLY_KINDS = ["campaign", "dispatch", "message", "customer_weekly"]
DAILY_KINDS = ["customer_daily", "esp_event", "sms_event", "dm_event", "web_event",
               "custom_event", "pos_transaction", "ecom_transaction", "pos_transactionitem",
               "ecom_transactionitem"]
