"""What the aggregates count. Each measure is a column of the daily and monthly tables
(models.DayFigures, models.MonthFigures), summed over the days it is dated by (facts.contributions).
"""

# Dated by the day the dossier was received (received_at).
RECEIVED_MEASURES = [
    "received_online",
    "received_counter",
    "received_post",
    "published",  # received and given a code: anyone can look it up (tra cứu)
    "synced_national",  # received and held by the national portal (DVCQG): motcua.integrations
    "fee_bearing",  # received and owing a fee
    "paid_online",  # of those, paid (partly or wholly) through a payment gateway
    "digitised",  # received with its papers as electronic files (uploaded or scanned)
    "reused",  # received with a paper taken from the data store instead of the applicant
]
# Dated by the day the result was ready (finished_at).
FINISHED_MEASURES = [
    "done_on_time",
    "done_late",
    "processing_seconds",  # received → result ready
    "legal_seconds",  # received → legal deadline
    "done_without_supplement",
    "done_single_agency",  # no other agency consulted
]
# Dated by the day the dossier closed without a result (closed_at).
CLOSED_MEASURES = ["refused", "withdrawn", "stopped"]
# Dated by the day of the action.
ACTION_MEASURES = [
    "supplement_requests",
    "reception_decided",
    "reception_in_time",
    "steps_done",
    "steps_on_time",
]
# Dated by the day the result was returned (returned_at).
RETURNED_MEASURES = ["returned", "results_electronic", "results_signed"]
# Dated by the day of the rating (motcua.reports.adapters: the surveys app).
RATING_MEASURES = ["ratings", "satisfied", "answers_1", "answers_2", "answers_3", "answers_4"]

MEASURES = [
    *RECEIVED_MEASURES,
    *FINISHED_MEASURES,
    *CLOSED_MEASURES,
    *ACTION_MEASURES,
    *RETURNED_MEASURES,
    *RATING_MEASURES,
]

# A reception decision (receive, refuse, request to supplement) within this many hours of the
# online submission counts as an answer in time (service quality indicator 1; Decree 61/2018 gives
# "within the working day" or the next morning: 24 hours is the choice written here).
RECEPTION_ANSWER_HOURS = 24
