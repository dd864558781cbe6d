# dugnad: every text a person reads, in English.
# Keys are the same in nb.ftl, nn.ftl and en.ftl; `cargo test catalogue` checks it.

## The language, named in itself (the language switch)

language-name = English

## How dates, times and numbers are written

weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday
month-january = January
month-february = February
month-march = March
month-april = April
month-may = May
month-june = June
month-july = July
month-august = August
month-september = September
month-october = October
month-november = November
month-december = December
written-date = { $day } { $month } { $year }
written-clock = { $hour }:{ $minute }
written-moment = { $date }, { $time }
written-minus = -
written-decimal-point = .
written-thousands = ,

## Console: account

account-administrator = Administrator
account-are-signed-out = You are signed out.
account-are-signed-out-everywhere = You are signed out everywhere else.
account-belongs = Belongs to
account-change-password = Change password
account-code-does-not-match = The code does not match. Enter the code the app shows now.
account-code-wrong-already-used = The code is wrong or already used. Try the next code the app shows.
account-council-coordinator = Council coordinator
account-council-s-page = The council's page
account-current-password = Current password
account-current-password-wrong-password = The current password is wrong. The password is not changed.
account-email-address-password-wrong = The email address or password is wrong.
account-if-address-has-account = If the address has an account, we have sent a link there. Check your email (spam too). The link works for one hour.
account-meeting-overview = The meeting overview
account-new-password-at-least = New password (at least 10 characters)
account-new-password-too-weak = The new password is too weak: use at least 10 characters, not a common password and not your email address.
account-off = Off
account-on = On
account-password-changed-are-signed = The password is changed, and you are signed out everywhere else.
account-password-wrong = The password is wrong.
account-recovery-codes-left = recovery codes left
account-session-has-expired-sign = Your session has expired. Sign in again and you will be taken back to the page.
account-session-has-expired-sign-2 = Your session has expired. Sign in again.
account-session-has-expired-so = Your session has expired, so nothing was saved yet. Sign in again and you get the form back as you filled it in.
account-set-up-new-authenticator = Set up a new authenticator app
account-staff = Staff
account-there-have-been-too = There have been too many failed sign-ins to this account from many places. If the password was right, its owner has been emailed a link that opens signing in from here.
account-turn-two-factor-authentication = Turn on two-factor authentication
account-volunteer = Volunteer

## Console: code

code-code = Code
code-enter-code-from-authenticator = Enter the code from your authenticator app, or one of your recovery codes.

## Console: common

common-accessibility-statement = Accessibility statement
common-action = Action
common-address = Address
common-all = All
common-all-tasks = All tasks
common-area = Area
common-cancelled = Cancelled
common-category = Category
common-completed = Completed
common-continue = Continue
common-council = Council
common-council-2 = The council
common-deactivate = Deactivate
common-deactivated = Deactivated
common-download-as-csv = Download as CSV
common-duration = Duration
common-edit-task = Edit the task
common-edited = Edited
common-email = Email
common-expired = Expired
common-filled = Filled
common-forgot-password = Forgot password
common-found-volunteer = Found a volunteer
common-funding-key = Funding key
common-history = History
common-minutes = minutes
common-my-account = My account
common-name = Name
common-neighbourhood-council = Neighbourhood council
common-new-task = New task
common-next-page = Next page
common-no = No
common-no-expiry = no expiry
common-notes = Notes
common-number-spots = Number of spots
common-of = of
common-one-time-code = One-time code
common-opt-outs-force = Opt-outs in force
common-outbox = Outbox
common-password = Password
common-phone = Phone
common-posted = Posted
common-private-details = Private details
common-qualifications = Qualifications
common-reason = Reason
common-reason-cancelling = Reason for cancelling
common-recipient-s-name = Recipient's name
common-recipient-s-phone = Recipient's phone
common-recovery-codes = Recovery codes
common-report = Report
common-role = Role
common-save = Save
common-saved = Saved.
common-service-unit = Service unit
common-show = Show
common-sign = Sign in
common-spots = Spots
common-start-time = Start time
common-status = Status
common-tasks = Tasks
common-two-factor-authentication = Two-factor authentication
common-users = Users
common-volunteer-hours = Volunteer hours
common-volunteers = Volunteers
common-withdrawn = Withdrawn
common-year = Year
common-yes = Yes

## Console: console

console-action-does-not-fit = The action does not fit the task's state now. Go back and reload the page.
console-form-did-not-come = The form did not come from this session, so nothing was changed. Go back, reload the page and try again.
console-form-has-expired = The form has expired
console-may-not-see-page = You may not see this page or do this.
console-not-allowed = Not allowed
console-page-does-not-exist = The page does not exist, or you may not see it.
console-page-not-found = Page not found
console-reference-data = Reference data
console-service-temporarily-unavailable-try = The service is temporarily unavailable. Try again shortly. Nothing was saved.
console-something-went-wrong = Something went wrong
console-something-went-wrong-our = Something went wrong on our side. Nothing was saved. Try again.
console-start-page = To the start page
console-temporarily-unavailable = Temporarily unavailable
console-that-did-not-work = That did not work
console-there-have-been-too = There have been too many failed attempts. Wait a quarter of an hour and try again.
console-too-many-attempts = Too many attempts

## Console: council

council-cancel = Cancel
council-categories-council-takes = Categories the council takes on
council-category-taken-back = The category is taken back.
council-confirm-opt-out = Confirm the opt-out
council-council-has-opted-out = The council has opted out of the category.
council-council-has-opted-out-2 = The council has opted out of no category.
council-date-meeting = Date of the meeting
council-keep-opt-out = Keep the opt-out
council-keeps-opt-out = keeps the opt-out of
council-meeting-overview = Meeting overview
council-no-changes = : no changes
council-now = now
council-one-decision-per-category = One decision per category. Everything in the form is applied together, or nothing.
council-open-tasks-nobody-has = open tasks nobody has taken will be withdrawn, and their units told.
council-opt-back = Opt back in
council-opt-back-2 = Opt back in
council-opt-back-3 = Opt back in
council-opt-council-out = Opt the council out
council-opt-council-out-category = Opt the council out of a category
council-opted-out = Opted out of
council-opts-back = opts back in to
council-overview-yearly-meeting-printable = Overview for the yearly meeting (printable)
council-participants = Participants
council-reason = Reason
council-reason-taking-category-back = Reason for taking the category back
council-record-review = Record the review
council-review-by = Review by
council-review-recorded-decisions-apply = The review is recorded and its decisions apply from now. It is in the history and the meeting overview.
council-review-was-not-recorded = The review was not recorded: the meeting cannot be in the future, and each decision must fit the opt-outs in force now. Nothing was changed.
council-since = Since
council-taken-back = Taken back
council-takes = takes on
council-tasks-already-taken-keep = tasks already taken keep their volunteers.
council-write-reason-at-most = Write a reason (at most 1000 characters) and a future date.
council-yearly-review = yearly review
council-yearly-review-2 = Yearly review
council-yearly-review-meeting = Yearly review, meeting of

## Console: enrol

enrol-already-have-authenticator-app = You already have an authenticator app. Setting up a new one stops the old one and gives you new recovery codes.
enrol-code-from-app = Code from the app
enrol-enter-code-app-shows = Enter the code the app shows now.
enrol-municipality-requires-one-time = The municipality requires a one-time code besides the password for pages with private details. Set up an authenticator app to continue.
enrol-scan-qr-code-with = Scan the QR code with an authenticator app (for example Microsoft Authenticator or Google Authenticator).
enrol-turn = Turn on
enrol-type-key = Or type in this key:

## Console: forgot

forgot-back-sign = Back to sign-in
forgot-enter-email-address-sign = Enter the email address you sign in with. If it has an account, we send a link where you choose a new password (it works for one hour).
forgot-send-link = Send the link

## Console: funding

funding-amount-per-resident-aged = Amount per resident aged 0–19
funding-amount-per-resident-aged-2 = Amount per resident aged 0–19 (NOK)
funding-amounts = Amounts for
funding-base = Base
funding-base-amount-per-council = Base amount per council
funding-base-amount-per-council-2 = Base amount per council (NOK)
funding-choose-year-from-2000 = Choose a year from 2000 to 2100.
funding-enter-resident-figure = Enter a resident figure
funding-example-ssb-table-07459 = For example “SSB, table 07459” or the municipality's register extract.
funding-figure-as = The figure is as of
funding-key = In the key
funding-left-pot = Left of the pot
funding-missing = missing
funding-no-amounts-are-set = No amounts are set for this year.
funding-not-saved-check-fields = Not saved: check the fields
funding-per-resident = Per resident
funding-pot = Pot
funding-pot-nok = Pot (NOK)
funding-residents-aged-0-19 = Residents aged 0–19
funding-save-amounts = Save the amounts
funding-save-figure = Save the figure
funding-shared-all = Shared in all
funding-source = Source
funding-source-date = Source and date
funding-total = Total
funding-warning-shares-exceed-pot = Warning: the shares exceed the pot.

## Console: layout

layout-main-menu = Main menu
layout-sign-out = Sign out
layout-skip-content = Skip to content

## Console: login

login-forgot-password = Forgot password?

## Console: outbox

outbox-addresses-are-masked-devices = Addresses are masked and devices shown by the end of their id; contents are never shown.
outbox-attempts = Attempts
outbox-channel = Channel
outbox-dead = Dead
outbox-email-push-outbox = Email and push outbox
outbox-kind = Kind
outbox-last-error = Last error
outbox-next-attempt = Next attempt
outbox-no-notifications-here = No notifications here.
outbox-notification-back-queue = The notification is back in the queue.
outbox-pending = Pending
outbox-push-app = Push (app)
outbox-retry = Retry
outbox-to = To
outbox-unknown = Unknown

## Console: overview

overview-council-has-recorded-no = The council has recorded no review yet.
overview-figures-behind-charts = The figures behind the charts
overview-no-tasks-council-s = No tasks in the council's area this year.
overview-none = None.
overview-print-page-from-browser = Print the page from the browser for a clean A4 page for the meeting. Figures about fewer than three people are not shown (“–”).
overview-review-by = review by
overview-tasks-per-category = Tasks per category
overview-yearly-reviews = Yearly reviews

## Console: recovery

recovery-print-write-down-these = Print or write down these codes and keep them safe. Each works once if you lose your phone. They are shown only now.
recovery-two-factor-authentication = Two-factor authentication is on.

## Console: reference

reference-active = Active
reference-at-most-days-old = At most days old when shown
reference-at-most-days-old-2 = At most days old when shown (empty: no limit)
reference-categories = Categories
reference-change = Change
reference-change-requirements = Change requirements
reference-councils = Councils
reference-create = Create
reference-create-category = Create the category
reference-create-qualification = Create the qualification
reference-create-unit = Create the unit
reference-deactivate = deactivate
reference-description-bokm-l = Description in bokmål
reference-description-english = Description in English
reference-edit = Edit
reference-email-unit-s-shared = Email (the unit's shared address)
reference-funding-key = In the funding key
reference-inactive = Inactive
reference-legal-basis = Legal basis
reference-legal-basis-law-municipality = Legal basis (law or the municipality's rule)
reference-name-bokm-l = Name (bokmål)
reference-name-bokm-l-2 = Name in bokmål
reference-name-english = Name (English)
reference-name-english-2 = Name in English
reference-name-slug-exists-already = The name or slug exists already.
reference-new-council = New council
reference-new-name = New name
reference-not-saved-check-fields = Not saved: check the fields (slugs are lower-case letters and hyphens, the email must be valid).
reference-put-key = put in the key
reference-put-key-2 = Put in the key
reference-reference-data = Reference data
reference-rename = Rename
reference-rename-2 = Rename
reference-requires = Requires
reference-save-requirements = Save the requirements
reference-service-units = Service units
reference-slug = Slug
reference-slug-lower-case-letters = Slug (lower-case letters and hyphens)
reference-take-out-key = take out of the key
reference-take-out-key-2 = Take out of the key
reference-use = In use
reference-use-again = use again
reference-use-again-2 = Use again
reference-valid-months = Valid (months)
reference-valid-months-empty-no = Valid for months (empty: no expiry)
reference-volunteers-must-hold = Volunteers must hold
reference-what-municipality-requires-some = What the municipality requires for some categories. A certificate is shown and never stored; a new validity applies to what is recorded from now on.

## Console: report

report-active-volunteers = Active volunteers
report-choose-months-such-as = Choose months such as 2026-01.
report-figures-about-fewer-than = Figures about fewer than three people are not shown (“–”), so nobody can be recognised.
report-from-month = From month
report-group = Group
report-grouped-by = Grouped by
report-month = Month
report-month-inclusive = To month, inclusive
report-period-invalid-choose-from = The period is invalid: choose a from month not after the to month, at most five years.
report-tasks-posted-completed = Tasks posted and completed
report-total = Total

## Console: series

series-1-every-time-2 = 1 is every time, 2 every other, up to 4. A monthly date is the same day of the month; months without that day are skipped.
series-cancel-from-date = Cancel from this date
series-cancel-series = Cancel the series
series-cancelled-from = Cancelled from
series-copied-each-date-only = Copied to each date. Only the unit, admins and volunteers who have taken a date see this.
series-dates = Dates
series-dates-before-stay-as = The dates before it stay as they are. No new dates are made from this date on.
series-dates-from-chosen-date = The dates from the chosen date are cancelled.
series-day = day
series-every = every
series-every-day = Every day
series-every-day-2 = every day
series-every-month = Every month
series-every-month-2 = every month
series-every-week = Every week
series-every-week-2 = every week
series-fill-either-number-times = Fill in either the number of times (1–104) or the last date.
series-first-date = First date
series-from = from
series-from-date = From date
series-interval = Interval
series-month = month
series-no-dates-have-been = No dates have been made yet.
series-no-just-once = No, just once
series-number-times = Number of times
series-repeats = Repeats
series-series = The series
series-series-published = The series is published.
series-spots-taken = spots taken
series-time-day = Time of day
series-times = times
series-until = until
series-until-including = Until and including
series-volunteers-who-have-taken = The volunteers who have taken one of the dates get the reason by email.
series-week = week

## Console: task

task-actions = Actions
task-cancel-task = Cancel the task
task-complete = Complete
task-complete-with-hours-per = Complete with hours per volunteer
task-hours = Hours for
task-invitations = Invitations
task-invite = Invite
task-invite-volunteer = Invite a volunteer
task-missing = Missing
task-nobody-can-invited-task = Nobody can be invited to this task: no volunteer here has agreed to be invited, or they have opted out of the category.
task-nobody-has-taken-task = Nobody has taken the task yet.
task-one-date-series-see = One date of a series – see the series and all its dates
task-only-unit-admins-volunteers = Only the unit, admins and volunteers who have taken the task see this.
task-only-volunteers-who-agreed = Only volunteers who agreed to be invited are listed. An invitation is a question, not an assignment.
task-public-details = Public details
task-volunteers-who-have-taken = The volunteers who have taken the task get the reason by email.

## Console: taskform

taskform-form-has-errors-see = The form has errors. See the marked fields.
taskform-leave-repeats-at-no = Leave “Repeats” at “No” for a single task. A series makes each date a task of its own, eight weeks ahead, always at the same time of day.
taskform-not-given = (not given)
taskform-open = Open
taskform-private-only-unit-whoever = Private – only for the unit and whoever has taken the task
taskform-public-volunteers-see = Public – volunteers see this
taskform-repetition = Repetition
taskform-weekdays-only-when-repeats = Weekdays (only when it repeats every week)
taskform-whole-municipality = The whole municipality
taskform-yes-post-another-task = Yes, post another task

## Console: tasks

tasks-address = address
tasks-already-invited = already invited
tasks-area = area
tasks-category = category
tasks-changes-are-saved = The changes are saved.
tasks-choose = Choose …
tasks-council = council
tasks-council-has-opted-out = The council has opted out of this category. Choose another council or category.
tasks-council-has-opted-out-2 = The council has opted out of this category.
tasks-date = To date
tasks-date-invalid = The date is invalid.
tasks-description = Description
tasks-description-2 = description
tasks-duration = duration
tasks-duration-minutes = Duration (minutes)
tasks-end-time = end time
tasks-filter-tasks = Filter tasks
tasks-from-date = From date
tasks-has-taken-task = Has taken the task
tasks-here-form-as-filled = Here is the form as you filled it in. Nothing is saved yet: check it and send it.
tasks-hours = Hours
tasks-invitation-sent = The invitation is sent.
tasks-invited = invited
tasks-just-posted-identical-task = You just posted an identical task — post another?
tasks-lapsed = lapsed
tasks-no-tasks-match-filter = No tasks match the filter.
tasks-notes = notes
tasks-number-spots-cannot-go = The number of spots cannot go below the number of volunteers holding the task.
tasks-only-open-filled-tasks = Only open or filled tasks can be edited.
tasks-open-filled = Open and filled
tasks-other-fields = other fields
tasks-public-text-too = Public text too.
tasks-publish = Publish
tasks-recipient-s-name = recipient's name
tasks-recipient-s-phone = recipient's phone
tasks-rough-area-example-torstrand = A rough area, for example “Torstrand” – never an address.
tasks-someone-else-changed-task = Someone else changed the task after you opened the form. Nothing was saved. Open the task again to see the changes.
tasks-spots = spots
tasks-spots-free = spots free
tasks-start = Start
tasks-start-time = start time
tasks-task-cancelled = The task is cancelled.
tasks-task-completed = The task is completed.
tasks-task-published = The task is published.
tasks-title = Title
tasks-title-2 = title
tasks-title-public-text-every = The title is public text every volunteer sees: never write names, addresses or health details here.

## Console: user

user-activate-account-again = Activate the account again
user-all-users = All users
user-certificate-shown-never-copied = The certificate is shown and never copied: record only that it was seen, and when it was issued.
user-change-role-links = Change role and links
user-date-certificate-may-at = The date on the certificate. It may be at most three months old when shown.
user-date-seen-signed = Date seen or signed
user-deactivate-account = Deactivate the account
user-issue-date-police-certificate = Issue date (police certificate)
user-issued = Issued
user-none-recorded = None recorded.
user-person-signed-out-everywhere = The person is signed out everywhere at once, the tasks they hold are released (their units are told), and the account cannot sign in until it is activated again.
user-qualification = Qualification
user-record = Record
user-resend-invitation = Resend the invitation
user-revoke = Revoke
user-revoking-releases-at-once = Revoking releases at once the tasks the person holds that need the qualification (their units are told).
user-seen = Seen
user-valid-until = Valid until
user-yes-deactivate-account = Yes, deactivate this account

## Console: users

users-account-deactivated = The account is deactivated.
users-account-with-email-address = An account with this email address exists already.
users-active = Active
users-choose-qualification = Choose a qualification.
users-council-coordinators = Council (for coordinators)
users-create-send-email = Create and send the email
users-date-was-shown-signed = The date it was shown or signed is missing or in the future.
users-invitation-sent-again = The invitation is sent again.
users-issue-date-missing-after = The issue date is missing, after the day it was shown, or the certificate was too old when shown (ask for a new one).
users-name-email = Name or email
users-new-user = New user
users-no-users-match-search = No users match the search.
users-none = None
users-not-chosen-yet = not chosen yet
users-only-volunteers-coordinators-hold = Only volunteers and coordinators hold qualifications.
users-person-gets-email-with = The person gets an email with a link to choose a password (valid for 7 days).
users-qualification-recorded = The qualification is recorded.
users-qualification-revoked-tasks-that = The qualification is revoked. Tasks that needed it are released, and their units are told.
users-revoked = Revoked
users-role-links-do-not = Role and links do not fit: staff need a service unit, coordinators a council.
users-search = Search
users-search-users = Search users
users-service-unit-staff = Service unit (for staff)
users-that-did-not-work = That did not work: the last active admin cannot be removed, and an invitation goes only to an active account without a password.
users-tick-box-confirm-that = Tick the box to confirm that the account is to be deactivated. Nothing was changed.
users-user-created-email-way = The user is created and the email is on its way.
users-valid = Valid

## Console: volunteer


## Console: task and series histories, task refusals

series-history-posted = The series was posted
tasks-already-invited-or-claimed = The volunteer is already invited or has taken the task.
tasks-complete-not-started = The task can be completed once it has started.
tasks-history-auto-completed = Completed automatically
tasks-history-claimed = A volunteer took a spot
tasks-history-filled = All spots are taken
tasks-history-lapsed = Expired without volunteers
tasks-history-private-erased = Private details deleted after the retention period
tasks-history-released = A spot became free
tasks-history-withdrawn = Withdrawn (the council opted out)
tasks-not-now = The task does not take this now.

## Emails: the frame

email-greeting-named = Hi { $name },
email-greeting = Hello,
email-signature = Regards, dugnad
email-unsubscribe = Don't want these emails? Turn them off here
email-see-task = See the task

## Emails: accounts

role-admin = administrator
role-staff = staff
role-coordinator = council coordinator
role-volunteer = volunteer
email-verify-subject = Confirm your email address
email-verify-lead = Confirm your email address to take on tasks in dugnad.
email-verify-button = Confirm email address
email-verify-small = The link works for 48 hours. If you did not ask for this, you can ignore this email.
email-reset-subject = Reset your password
email-reset-lead = Someone asked to reset the password of your dugnad account.
email-reset-button = Choose a new password
email-reset-small = The link works for one hour and only once. If it wasn't you, ignore this email; your password is unchanged.
email-unlock-subject = Was it you signing in?
email-unlock-lead = Someone has tried many wrong passwords on your dugnad account, from many places. So we stopped a sign-in with the right password just now.
email-unlock-ask = Was it you? Press the button and you can sign in from the same place for the next hour.
email-unlock-button = Unlock signing in
email-unlock-small = The link works for one hour and only once. If it was not you, someone knows your password: change it with “Forgot password?” on the sign-in page.
email-created-subject = Your dugnad account
email-created-lead = An account has been created for you in dugnad, with the role { $role }.
email-created-button = Choose your password
email-created-small = The link works for seven days. Once you have chosen a password, sign in at { $sign_in } with this email address.
email-address-changed-subject = Your dugnad email address is being changed
email-address-changed-lead = Someone asked to change the email address of your dugnad account to { $address }. You have been logged out on every device.
email-address-changed-still = This address stays your login until the new one is confirmed.
email-address-changed-small = Wasn't it you? Change your password with “Forgot password” in the app at once, and contact the municipality.
email-codes-locked-subject = Signing in with a code is locked for your account
email-codes-locked-lead = Someone typed a wrong one-time code for your dugnad account 100 times in a row, after typing the right password. So signing in with a code is locked for the account.
email-codes-locked-reset = Change your password with “Forgot password?” on the sign-in page. That unlocks the codes again, and whoever knows the old password can no longer get in.
email-codes-locked-small = Was it you who mistyped? Change the password all the same to unlock. Contact the municipality if in doubt.
email-qualification-subject = Your { $qualification } runs out on { $day }
email-qualification-lead = The { $qualification } the municipality has recorded for you is valid until { $day }.
email-qualification-renew = Tasks that need it and start after that day cannot be taken until the municipality has recorded a new one. Tasks you have already taken stay yours. Contact the municipality's volunteer coordinator to renew it.
email-inactive-subject = Your dugnad account will be deleted soon
email-inactive-lead = You have not used your dugnad account for three years. In 30 days we will delete it and the data about you.
email-inactive-keep = If you want to keep it, just log in to the app before then.
email-inactive-button = Open dugnad

## Emails: tasks and claims

email-task-facts = “{ $title }”, { $when }.
email-task-facts-area = “{ $title }”, { $when }, { $area }.
email-details-in-app = You find the address and other details in the app. Questions? Contact { $contact }.
email-claimed-subject = Confirmed: { $title }
email-claimed-lead = Thank you! You have taken on the task { $facts }
email-claimed-small = Can't make it after all? You can give the task back in the app at any time before it ends.
email-series-claimed-subject = Confirmed: { $title } ({ $count } times)
email-series-claimed-lead = Thank you! You have taken { $count } occurrences of “{ $title }”:
email-series-claimed-small = Can't make one of them? You can give each one back in the app at any time before it ends.
email-follow-claim-subject = A new occurrence for you: { $title }
email-follow-claim-lead = You follow “{ $series }”, so this new occurrence is yours: { $facts }
email-follow-claim-ask = Doesn't this one suit you? Give the spot back with one press so someone else can take it:
email-follow-claim-button = Give this one back
email-follow-claim-small = You follow the series until { $until }. To go on after that, renew it in the app. Giving one occurrence back also stops your following the series, so nothing more is taken in your name; you can follow it again whenever you like.
email-follow-ended-subject = You no longer follow “{ $title }”
email-follow-ended-lead = The series “{ $title }” you followed was changed: its title, category, area, weekday or time of day is no longer what you chose. So you no longer follow it, and new occurrences are not taken in your name.
email-follow-ended-keep = The occurrences you already hold stay yours, and you can give them back at any time. To go on with the series as it is now, you can follow it again.
email-changed-subject = Changed: { $title }
email-changed-lead = A task you have taken on was changed: { $facts }
email-changed-check = Please check the details in the app. If it no longer suits you, you can give it back.
email-cancelled-subject = Cancelled: { $title }
email-cancelled-lead = The task { $facts } has been cancelled.
email-cancelled-reason = Reason: { $reason }
email-cancelled-thanks = Thank you for offering your help!
email-reminder-subject = Reminder: { $title }
email-reminder-lead = A reminder of the task you have taken on: { $facts }
email-reminder-details = You find the address and details in the app.
email-reminder-ask = Can't make it after all? That is fine — give the spot back so someone else can take it:
email-reminder-button = Give the task back
email-invitation-subject = Request: { $title }
email-invitation-lead = { $unit } wonders whether you could take on the task { $facts }
email-invitation-only-asking = This is only a request. If you want to, take the task in the app; if not, decline it or simply don't answer.
email-spot-subject = Spot free: { $title }
email-spot-watching = You are watching this task, and a spot is now free: { $facts }
email-spot-near = A spot has become free on a task near you: { $facts }
email-spot-first = Whoever takes the spot first in the app gets it. If it does not suit you, there is nothing to do.
email-digest-subject = New tasks in dugnad
email-digest-lead = { $count ->
    [one] One new task suits you:
   *[other] { $count } new tasks suit you:
}
email-digest-small = You get this overview because you asked for it. Nothing is assigned — you choose.

## Emails to a service unit

email-unit-status = Status: { $claimed } of { $spots } spots taken.
email-unit-urgent = URGENT: { $subject }
email-unit-claimed-lead = A volunteer has taken on the task { $facts }
email-unit-claimed-subject = Task taken: { $title }
email-unit-released-lead = A volunteer has given back a spot on the task { $facts }
email-unit-released-subject = Volunteer withdrew: { $title }
email-unit-closed-lead = A spot on the task { $facts } is free again because an account was closed.
email-unit-closed-subject = Spot free after a closed account: { $title }
email-unit-voided-lead = A spot on the task { $facts } is free again.
email-unit-voided-subject = Spot free: { $title }
email-unit-free-again = The spot is free again and shown to other volunteers.
email-unit-filled-lead = Every spot on the task { $facts } is taken.
email-unit-filled-subject = Task full: { $title }
email-unit-withdrawn-lead = The task { $facts } was withdrawn: the { $council } neighbourhood council no longer takes on tasks in this category.
email-unit-withdrawn-reason = The council's reason: { $reason }
email-unit-withdrawn-repost = The task can be posted again for the whole municipality or another council.
email-unit-withdrawn-subject = Withdrawn: { $title }

## Push notifications (a lock screen: never a title, a private detail or a name)

push-task-changed = A task you have taken has changed
push-task-cancelled = A task you have taken is cancelled
push-reminder = Reminder: you have a task tomorrow
push-invitation = You are invited to a task
push-spot-opened = A spot is free – first to claim it gets it

## The pages behind links in emails (/e/…)

page-failed = That did not work. The link may be used or expired.
page-password = Password
page-release-button = Give it back
page-release-done = You have given the task back. Thank you for letting us know!
page-release-intro = Can't make it after all? That is fine. Press the button and the spot opens for someone else.
page-release-title = Give the task back
page-reset-button = Save password
page-reset-done = Your password is changed. Sign in with the new password in the app or on the sign-in page.
page-reset-intro = Choose a new password of at least 10 characters. You will be logged out on every device.
page-reset-title = New password
page-set-button = Save password
page-set-done = Your password is saved. Sign in with your email address and the new password on the sign-in page.
page-set-intro = Choose a password of at least 10 characters for your account.
page-set-title = Choose your password
page-task-link-dead = The link no longer works. The task may be over, cancelled or no longer yours.
page-task-title = The task
page-to-sign-in = To the sign-in page
page-unlock-button = Unlock
page-unlock-done = Done. Sign in again from the same place within an hour. If it was not you, change your password with “Forgot password?”.
page-unlock-intro = There have been many failed sign-ins to your account from elsewhere. Was it you who just typed the right password? Press the button and you can sign in from there for the next hour.
page-unlock-title = Unlock signing in
page-unsubscribe-button = Unsubscribe
page-unsubscribe-done = Done. You will get no more of these emails.
page-unsubscribe-intro = Press the button to stop this kind of email. You can turn it on again in the app.
page-unsubscribe-title = Stop these emails
page-verify-button = Confirm
page-verify-done = Thank you! Your email address is confirmed.
page-verify-intro = Press the button to confirm your email address.
page-verify-title = Confirm your email address
page-weak-password = The password is too weak. Use at least 10 characters, and not a common password or anything like your email address. The link still works.

## The council's printable overview for its yearly meeting

meeting-title = { $name } neighbourhood council — yearly meeting { $year }
meeting-heading = { $name } neighbourhood council
meeting-intro = Overview for the yearly review with the municipality, { $year }.
meeting-per-category = Tasks per category
meeting-category = Category
meeting-posted = Posted
meeting-taken = Taken
meeting-done = Done
meeting-withdrawn = Withdrawn
meeting-expired = Expired
meeting-hours = Hours
meeting-volunteers = Volunteers
meeting-no-tasks = No tasks this year.
meeting-opted-out-heading = Categories opted out of
meeting-opt-out-line = { $category } — since { $since }, reason: { $reason } (review by { $review_by })
meeting-none = None.
meeting-changes = Changes in { $year }
meeting-opted-out = Opted out
meeting-opted-in = Taken back
meeting-no-changes = No changes this year.
meeting-past-reviews = Earlier reviews
meeting-decision-keep = { $category } stays opted out
meeting-decision-opt-in = { $category } is taken back
meeting-decision-take = { $category } is taken on
meeting-no-reviews = No reviews recorded.

## Spreadsheets (CSV): the heading line and the total rows, comma-separated

csv-report-headings = Key,Group,Posted,Found a volunteer,Completed,Cancelled,Expired unclaimed,Withdrawn,Claims made,Claims released,Volunteer hours,Active volunteers,Median hours to first claim,Share with a volunteer before the start,Hidden (fewer than three people)
csv-funding-headings = Council,In the key,Residents aged 0–19,Source,As of,Base (NOK),Per-child part (NOK),Total (NOK)
csv-total = Total
csv-missing = missing
csv-pot = Pot

## Console: reference data in nynorsk

reference-name-nynorsk = Name (Nynorsk)
reference-name-nynorsk-2 = Name in Nynorsk
reference-name-nynorsk-hint = Empty: the same as in Bokmål.

## Field problems: why a field of a form or request was refused

field-required = is required
field-empty = must not be empty
field-too-long = must be at most { $max } characters
field-too-long-bytes = must be at most { $max } bytes
field-not-one-line = must be one line, without line breaks or control characters
field-control-characters = must not contain control characters
field-nul-characters = must not contain NUL characters
field-not-whole-number = must be a whole number
field-between = must be from { $min } to { $max }
field-minutes-between = must be from { $min } to { $max } minutes
field-hours-up-to = must be more than 0 and at most { $max } hours
field-months-or-none = must be 1 to { $max } months, or null for no expiry
field-days-or-none = must be 0 to { $max } days, or null
field-kroner-up-to = must be a whole number of kroner from 0 to { $max }
field-not-true-or-false = must be true or false
field-not-uuid = must be a UUID
field-not-date = must be a date such as 2026-12-31
field-not-date-time = must be a date and time such as 2026-12-08T14:00
field-not-rfc3339 = must be an RFC 3339 time
field-not-clock-time = must be HH:MM
field-skipped-local-time = does not exist in local time (the clocks skip it)
field-outside-years = must be in the years 2000 to 2100
field-out-of-range = is out of range
field-not-in-future = must be in the future
field-in-future = must not be in the future
field-in-past = cannot be in the past
field-not-after-start = must be after starts_at
field-one-of = must be one of: { $choices }
field-named-twice = names a field twice
field-given-and-cleared = is given a value and named in `clear`
field-not-slug = must be lower-case letters and digits separated by single hyphens
field-not-email = must be an email address such as kari@example.no
field-password-too-short = must be at least { $min } characters
field-password-is-email = must not be your email address
field-password-too-simple = is too simple; use more different characters
field-password-common = is among the most common passwords; choose another
field-wrong-password = is wrong
field-wrong-code = is not the code the authenticator shows now
field-dead-link = is invalid, used or expired
field-not-cursor = is not a cursor this service issued
field-not-idempotency-key = must be 1 to 255 visible ASCII characters
field-not-json-object = must be a JSON object
field-malformed = { $detail }
field-not-category = is not a category
field-not-active-category = is not an active category
field-not-active-council = is not an active council
field-not-service-unit = is not a service unit
field-not-active-qualification = is not an active qualification
field-required-when-admin-posts = is required when an admin posts a task
field-required-for-staff = is required for staff
field-required-for-coordinator = is required for a coordinator
field-only-staff-have-unit = only staff belong to a service unit
field-only-volunteers-choose-council = only a volunteer chooses a home council; an admin sets a coordinator's council
field-frequency = must be daily, weekly or monthly
field-weekly-only = is for weekly series only
field-weekday-twice = names { $day } twice
field-before-first-date = cannot be before the first date
field-count-or-until = needs exactly one of count and until
field-too-many-occurrences = a series has at most { $max } occurrences
field-category-twice = names a category twice
field-not-opted-out = the council has not opted out of this category
field-month-start = must be the first day of a month
field-month-end = must be the last day of a month
field-period = must be on or after from, at most five years later
field-not-active-claim = is not an active claim on this task
field-no-end-known = is required: the task has neither an end time nor a duration
field-issue-date-required = is required for this qualification (the date on the certificate)
field-issued-after-seen = cannot be after seen_on
field-certificate-too-old = the certificate was issued more than { $max } days before it was seen: ask for a new one
field-legal-basis = must name the law or the municipality's rule
field-too-many-choices = names at most { $max } choices
field-not-a-choice = is not a choice a person makes: see the kinds and channels of `preferences` in GET /me
field-required-for-email-change = is required to change the email address
field-opt-back-in-first = opt back in before taking on a category the council has opted out of
field-not-whole-kroner = must be whole kroner
field-not-hours = must be a number of hours such as 1.5
field-key-reused = was used before with a different request body
field-only-takers-hold-qualifications = only volunteers and coordinators take tasks, so only they hold qualifications
field-weekdays-once = names each of mo, tu, we, th, fr, sa, su once
field-unknown-category = contains an unknown category
field-unknown-qualification = contains an unknown qualification
field-volunteers-register-themselves = volunteers register themselves; choose staff, coordinator or admin
field-not-into-volunteer = an account cannot be turned into a volunteer; deactivate it instead
field-volunteer-stays-volunteer = a volunteer's account cannot be given another role; create a new account

## Console: the accessibility statement

a11y-aim = The Dugnad console of { $municipality } aims to meet WCAG 2.1 at level AA, as the Norwegian regulation on universal design of ICT requires.
a11y-labels = Every form field has a visible label, and errors are shown next to the field they concern.
a11y-keyboard = Every page can be used with a keyboard alone; the focused element is always marked.
a11y-contrast = Text contrast is at least 4.5:1, and pages reflow to a width of 320 pixels.
a11y-charts = Every chart has its figures in a table beside it.
a11y-no-script = The pages work without JavaScript.
a11y-checked = Each version is checked automatically with axe-core in a real browser, and by a keyboard-only test. If something does not work for you, write to the municipality's service desk; you may also complain to the Authority for Universal Design of ICT (Tilsynet for universell utforming av ikt).

## The volunteer web ("Dugnad på nett")

site-skip = Skip to content
site-menu = Main menu
site-nav-tasks = Tasks
site-nav-mine = My tasks
site-nav-invitations = Invitations
site-sign-out = Sign out
site-accessibility = Accessibility statement
site-start-title = Lend a hand
site-start-lead = In { $municipality }, the health and coping services post small tasks – a trip to the doctor, a walk, some shopping – that volunteers take when it suits them.
site-start-promise = You take only what you want, and can give a task back without saying why.
site-sign-in = Sign in
site-become-volunteer = Become a volunteer
site-email = Email
site-password = Password
site-no-account = No account yet?
site-forgot = Forgotten your password?
site-name = Name
site-council = Neighbourhood council
site-council-none = None chosen
site-language = Language
site-password-hint = At least { $min } characters.
site-register-title = Become a volunteer
site-register-done-title = Check your email
site-register-done = We have sent a link to { $email }. Open it to confirm the address, and you can take tasks.
site-email-taken = There is already an account with this address. Sign in, or ask for a new password.
site-fix-fields = Something needs fixing before you can go on.
site-feed-title = Tasks
site-filter = Filter
site-filter-category = Category
site-filter-all = All
site-filter-from = From date
site-filter-to = Up to and including
site-filter-my-council = Only my neighbourhood council
site-filter-apply = Show tasks
site-feed-empty = No open tasks match right now.
site-feed-more = More tasks
site-free-spots = { $count ->
    [one] 1 free spot
   *[other] { $count } free spots
}
site-full = Full
site-needs-qualification = Needs a qualification you have no record of
site-you-hold = You have taken this task
site-when = When
site-where = Where
site-spots = Spots
site-category = Category
site-claim = Take the task
site-release = Give the task back
site-release-title = Give the task back?
site-release-text = You need not say why, and no one holds it against you. The unit is told the spot is free.
site-release-yes = Yes, give the task back
site-release-no = No, keep it
site-watch = Notify me
site-unwatch = Stop notifying me
site-watching = We will tell you if a spot opens.
site-full-lead = Every spot is taken.
site-private-heading = Only for you, who took the task
site-address = Address
site-recipient = Who you help
site-phone = Phone
site-notes = Notes
site-contact = Contact
site-done-claimed = The task is yours. Thank you! A confirmation is on its way by email.
site-done-released = You have given the task back.
site-done-unwatched = You will no longer hear about this task.
site-done-declined = The invitation is declined. No one is told.
site-refusal-not-verified = Confirm your email address first: open the link we sent you.
site-refusal-already = You have already taken this task.
site-refusal-not-open = The task takes no more volunteers – it has started, been cancelled or finished.
site-refusal-council = The neighbourhood council has opted out of this kind of task, so it cannot be taken.
site-refusal-qualification = The task needs a qualification you have no record of, such as a police certificate. Talk to the unit.
site-refusal-full = The spot is already taken. Press “Notify me” to hear if one opens.
site-refusal-overlap = You have another task at the same time.
site-refusal-not-claimant = You do not hold this task.
site-refusal-spot-free = A spot is free – take the task instead.
site-refusal-rate = Too many attempts in a short time. Wait a little and try again.
site-refusal-other = That did not work. Reload the page and try again.
site-mine-title = My tasks
site-mine-upcoming = Coming up
site-mine-past = Earlier
site-mine-empty = You have not taken any tasks yet.
site-mine-hours = { $hours } hours
site-mine-released = Given back
site-mine-voided = Cancelled
site-invitations-title = Invitations
site-invitations-lead = A unit has asked whether you would take these tasks. If you say no thanks, no one is told.
site-invitations-empty = No open invitations.
site-say-yes = Say yes
site-no-thanks = No thanks
site-not-found-title = Page not found
site-not-found = The page does not exist, or the task is no longer open.
site-error-title = Something went wrong
site-error = Try again in a little while.
site-forged-title = The form has expired
site-forged = Reload the page and try again.
site-to-start = To the start page
site-a11y-title = Accessibility statement
site-a11y-aim = Dugnad on the web for { $municipality } aims to meet WCAG 2.1 at level AA, as the Norwegian regulation on universal design of ICT requires.
site-a11y-phone = The pages are made for phones first, work without JavaScript, and every button is at least 44 × 44 pixels.
site-nav-profile = Profile
site-profile-title = Profile
site-profile-about = About you
site-phone-hint = Optional. Only the unit of a task you have taken sees it.
site-invitable = Units may invite me to tasks
site-opt-outs = Categories I want no tasks in
site-opt-outs-hint = You will not see tasks in the categories you tick.
site-preferences = Notifications
site-preferences-hint = What you want to hear about, and how. What concerns your account always comes by email.
site-channel-email = Email
site-channel-fcm = App notification
site-kind-claim_confirmation = Confirmation when you take a task
site-kind-task_changed = A task you took has changed
site-kind-task_cancelled = A task you took is cancelled
site-kind-reminder = Reminder the day before
site-kind-invitation = Invitations
site-kind-new_tasks_digest = New tasks, once a day
site-kind-qualification_expiring = A qualification is running out
site-kind-spot_opened = A spot has opened near you
site-save = Save
site-done-saved = Saved.
site-your-data = Your data
site-download-data = Download my data
site-download-hint = Everything we hold about you, as a JSON file.
